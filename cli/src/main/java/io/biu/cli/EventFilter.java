package io.biu.cli;

import io.biu.scheduler.client.Schema;

/**
 * Which events {@code biu events} shows: of an app, of a pod, of a type. A type ending in {@code *} (or {@code .})
 * is a prefix: {@code container.*} matches every container event. A criterion left null matches everything.
 */
record EventFilter(String app, String pod, String type) {

    /** A container event is of its container's app and pod, a node event of its node's pod (and of no app). */
    boolean matches(Schema.Event event) {
        Schema.EventContainer c = event.container();
        String eventPod = c != null ? c.pod() : event.node() != null ? event.node().pod() : null;
        return matches(event.type(), c != null ? c.app() : null, eventPod);
    }

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
