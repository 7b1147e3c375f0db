package io.biu.kit.text;

/**
 * Input quoted back to whoever sent it, short: an error names what was wrong without echoing a request's whole body
 * (which costs the service to build and the caller to read, and can fill a log).
 */
public final class Brief {

    /** Text up to this many characters is quoted whole. */
    public static final int MAX = 64;

    private Brief() {
    }

    /** {@code text} itself when at most {@link #MAX} characters; else its first characters and how long it was. */
    public static String of(CharSequence text) {
        return of(text, MAX);
    }

    /** {@code text} itself when at most {@code max} characters; else its first characters and how long it was. */
    public static String of(CharSequence text, int max) {
        if (text == null || text.length() <= max) {
            return text == null ? null : text.toString();
        }
        return text.subSequence(0, max * 2 / 3) + "... (" + text.length() + " characters)";
    }
}
