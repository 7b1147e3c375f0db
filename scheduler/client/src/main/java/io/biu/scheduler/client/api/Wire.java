package io.biu.scheduler.client.api;

import java.util.Locale;

/**
 * How Biu's APIs write the constants of their enums (states, kinds, steps): lower case, words joined by dashes
 * ({@code AWAIT_READY} is {@code await-ready}). Each contract's enums delegate their {@code @JsonValue} and
 * {@code @JsonCreator} here.
 */
public final class Wire {

    private Wire() {
    }

    public static String id(Enum<?> constant) {
        return id(constant.name());
    }

    /** The wire form of a constant's name. */
    public static String id(String constantName) {
        return constantName.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The constant whose {@link #id} is {@code id}; an error that lists the valid ones otherwise. */
    public static <E extends Enum<E>> E of(Class<E> type, String id) {
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
