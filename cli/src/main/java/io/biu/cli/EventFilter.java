package io.biu.cli;

/**
 * Which events {@code biu events} shows: of an app, of a pod, of a type. A type ending in {@code *} (or {@code .})
 * is a prefix: {@code container.*} matches every container event. A criterion left null matches everything.
 */
record EventFilter(String app, String pod, String type) {

    boolean matches(String eventType, String eventApp, String eventPod) {
        return (app == null || app.equals(eventApp)) && (pod == null || pod.equals(eventPod)) && typeMatches(
                eventType);
    }

    private boolean typeMatches(String eventType) {
        if (type == null) {
            return true;
        }
        if (type.endsWith("*") || type.endsWith(".")) {
            String prefix = type.endsWith("*") ? type.substring(0, type.length() - 1) : type;
            return eventType != null && eventType.startsWith(prefix);
        }
        return type.equals(eventType);
    }
}
