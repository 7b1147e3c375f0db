package io.biu.redismonitor.client;

import java.util.Locale;

/** How the API writes its enums' constants: lower case, with dashes ({@code SCALE_OUT} as {@code scale-out}). */
final class Wire {

    private Wire() {
    }

    static String id(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant whose {@link #id} is {@code id}; an error that lists the valid ones otherwise. */
    static <E extends Enum<E>> E of(Class<E> type, String id) {
        for (E constant : type.getEnumConstants()) {
            if (id(constant).equals(id)) {
                return constant;
            }
        }
        StringBuilder valid = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            valid.append(valid.length() == 0 ? "" : ", ").append(id(constant));
        }
        throw new IllegalArgumentException("'" + id + "' is not one of " + valid);
    }
}
