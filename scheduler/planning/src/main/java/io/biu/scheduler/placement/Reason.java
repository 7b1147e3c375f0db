package io.biu.scheduler.placement;

/** Why a node cannot take (another) container of a request: the hard constraints, in checking order. */
public enum Reason {
    DOWN("down"),
    CORDONED("cordoned"),
    LABELS("without the selected labels"),
    CPU("with too little CPU"),
    MEMORY("with too little memory"),
    ANTI_AFFINITY("already holding the container's anti-affinity group");

    private final String phrase;

    Reason(String phrase) {
        this.phrase = phrase;
    }

    /** How a message says it: "3 nodes cordoned". */
    public String phrase() {
        return phrase;
    }
}
