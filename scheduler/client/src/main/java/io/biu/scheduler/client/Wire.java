package io.biu.scheduler.client;

import java.util.Locale;

/** How the API writes enum constants that are states: lower case ({@code RUNNING} is {@code running}). */
final class Wire {

    private Wire() {
    }

    static String id(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant whose {@link #id} is {@code id}; an error that lists the valid ones otherwise. */
    static <E extends Enum<E>> E of(Class<E> type, String id) {
        StringBuilder valid = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (id(constant).equals(id)) {
                return constant;
            }
            valid.append(valid.length() == 0 ? "" : ", ").append(id(constant));
        }
        throw new IllegalArgumentException("'" + id + "' is not one of " + valid);
    }
}
