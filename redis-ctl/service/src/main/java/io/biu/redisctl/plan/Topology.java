package io.biu.redisctl.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A cluster as one instance sees it: its CLUSTER NODES, parsed with what Lettuce's parser leaves out (the slots each
 * node has open for migration, {@code [slot->-id]}, or import, {@code [slot-<-id]}).
 */
public record Topology(List<Node> nodes) {

    public Topology {
        nodes = List.copyOf(nodes);
    }

    /**
     * One line of CLUSTER NODES.
     *
     * @param masterId  the master a replica follows; {@code -} for a master
     * @param migrating slots this node sends, each to the node it sends it to, by slot
     * @param importing slots this node receives, each from the node it receives it from, by slot
     */
    public record Node(String id, String host, int port, int busPort, List<String> flags, String masterId,
            boolean connected, List<Integer> slots, Map<Integer, String> migrating, Map<Integer, String> importing) {

        public Node {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("a node needs its id");
            }
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(masterId, "masterId");
            flags = List.copyOf(flags);
            slots = List.copyOf(slots);
            migrating = Collections.unmodifiableMap(new TreeMap<>(migrating));
            importing = Collections.unmodifiableMap(new TreeMap<>(importing));
        }

        public boolean myself() {
            return flags.contains("myself");
        }

        public boolean master() {
            return flags.contains("master");
        }

        /** Still being introduced (MEET) or without an address yet. */
        public boolean joining() {
            return flags.contains("handshake") || flags.contains("noaddr");
        }

        public boolean failing() {
            return flags.contains("fail") || flags.contains("fail?") || flags.contains("noaddr");
        }

        /** A master that is not failing: one that can send, receive and hold slots, or take a replica. */
        public boolean liveMaster() {
            return master() && !failing();
        }
    }

    public static Topology parse(String clusterNodes) {
        List<Node> nodes = new ArrayList<>();
        for (String line : clusterNodes.split("\r?\n")) {
            String[] f = line.trim().split(" ");
            if (f.length < 8) {
                continue;
            }
            // host:port@busport[,hostname]
            int at = f[1].indexOf('@');
            String address = at >= 0 ? f[1].substring(0, at) : f[1];
            String bus = at >= 0 ? f[1].substring(at + 1).split(",")[0] : "";
            int colon = address.lastIndexOf(':');
            List<Integer> slots = new ArrayList<>();
            Map<Integer, String> migrating = new TreeMap<>();
            Map<Integer, String> importing = new TreeMap<>();
            for (int i = 8; i < f.length; i++) {
                String s = f[i];
                if (s.startsWith("[")) {
                    String body = s.substring(1, s.length() - 1);
                    if (body.contains("->-")) {
                        migrating.put(Integer.parseInt(body.substring(0, body.indexOf("->-"))),
                                body.substring(body.indexOf("->-") + 3));
                    } else if (body.contains("-<-")) {
                        importing.put(Integer.parseInt(body.substring(0, body.indexOf("-<-"))),
                                body.substring(body.indexOf("-<-") + 3));
                    }
                } else if (s.contains("-")) {
                    int a = Integer.parseInt(s.substring(0, s.indexOf('-')));
                    int b = Integer.parseInt(s.substring(s.indexOf('-') + 1));
                    for (int slot = a; slot <= b; slot++) {
                        slots.add(slot);
                    }
                } else {
                    slots.add(Integer.parseInt(s));
                }
            }
            nodes.add(new Node(f[0], colon > 0 ? address.substring(0, colon) : address,
                    colon > 0 && colon < address.length() - 1 ? Integer.parseInt(address.substring(colon + 1)) : 0,
                    bus.isEmpty() ? 0 : Integer.parseInt(bus), List.of(f[2].split(",")), f[3], "connected".equals(f[7]),
                    slots, migrating, importing));
        }
        return new Topology(nodes);
    }

    public Node myself() {
        return nodes.stream().filter(Node::myself).findFirst()
                .orElseThrow(() -> new IllegalStateException("CLUSTER NODES has no 'myself' line"));
    }

    /** The node of that id; null if this instance does not know it (or {@code id} is null). */
    public Node node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElse(null);
    }

    /** Whether this instance knows the node of that id and is done introducing it. */
    public boolean knows(String id) {
        Node n = node(id);
        return n != null && !n.joining();
    }

    /** Slot owners as this instance sees them. */
    public Map<Integer, String> owners() {
        Map<Integer, String> owners = new HashMap<>();
        for (Node n : nodes) {
            n.slots().forEach(s -> owners.put(s, n.id()));
        }
        return owners;
    }

    /** The masters that are not failing, in the order listed. */
    public List<Node> liveMasters() {
        return nodes.stream().filter(Node::liveMaster).toList();
    }

    /** How many replicas follow each master, by the master's id, as this instance sees it. */
    public Map<String, Integer> followers() {
        Map<String, Integer> followers = new HashMap<>();
        nodes.stream().filter(n -> !n.master() && !"-".equals(n.masterId()))
                .forEach(n -> followers.merge(n.masterId(), 1, Integer::sum));
        return followers;
    }

    /** This instance has no slot open and sees an owner for every slot. */
    public boolean settled() {
        Node me = myself();
        return me.migrating().isEmpty() && me.importing().isEmpty() && owners().size() == SlotPlan.SLOTS;
    }
}
