package io.biu.redisctl.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What to do with the slots a master has open for a move that a crash (or a failover) interrupted.
 *
 * <p>A move is finished when both of its ends are live masters and the source still owns the slot (in the master's
 * own view): then the keys still on the source go over and the target takes the slot, as in any move. Otherwise the
 * move cannot go on, or is already over (the target owns the slot, or the other end is gone), and the slot is set
 * stable where it is open, so that this master stops redirecting clients for it.
 */
public final class OpenSlots {

    private OpenSlots() {
    }

    /** One open slot's fix. */
    public sealed interface Fix {
        int slot();

        /** Finish moving {@code slot} from {@code source} to {@code target}. */
        record Finish(int slot, String source, String target) implements Fix {
            public Finish {
                Objects.requireNonNull(source, "source");
                Objects.requireNonNull(target, "target");
            }
        }

        /** Close {@code slot} on the master that has it open (CLUSTER SETSLOT ... STABLE), for {@code reason}. */
        record SetStable(int slot, Reason reason) implements Fix {
            public SetStable {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /** Why a move is not finished. */
    public enum Reason {
        /** The master it moves to, or from, is no live master. */
        OTHER_END_GONE("the other end is no live master"),
        /** The source does not own the slot (any more): the move is over, or never got far. */
        SOURCE_NOT_OWNER("the source does not own the slot");

        private final String phrase;

        Reason(String phrase) {
            this.phrase = phrase;
        }

        public String phrase() {
            return phrase;
        }
    }

    /**
     * The fixes of every slot that the master whose own view is {@code own} has open, migrating ones first.
     *
     * @param liveMasters the Redis ids of the cluster's live masters
     */
    public static List<Fix> of(Topology own, Set<String> liveMasters) {
        Topology.Node me = own.myself();
        Map<Integer, String> owners = own.owners();
        List<Fix> fixes = new ArrayList<>();
        me.migrating().forEach((slot, target) -> fixes.add(fix(slot, me.id(), target, liveMasters.contains(target),
                me.id().equals(owners.get(slot)))));
        me.importing().forEach((slot, source) -> fixes.add(fix(slot, source, me.id(), liveMasters.contains(source),
                source.equals(owners.get(slot)))));
        return fixes;
    }

    private static Fix fix(int slot, String source, String target, boolean otherEndLive, boolean sourceOwns) {
        if (!otherEndLive) {
            return new Fix.SetStable(slot, Reason.OTHER_END_GONE);
        }
        return sourceOwns ? new Fix.Finish(slot, source, target) : new Fix.SetStable(slot, Reason.SOURCE_NOT_OWNER);
    }
}
