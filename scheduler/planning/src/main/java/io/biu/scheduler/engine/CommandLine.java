package io.biu.scheduler.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A container's command with references to its environment expanded, as Kubernetes does for its
 * {@code command} and {@code args}: {@code $(NAME)} becomes the value of {@code NAME}, {@code $$} becomes a
 * literal {@code $}, and a reference to a variable the container does not have stays as written. No shell
 * is involved, so images without one (built from scratch) can still take per-container values such as the
 * host ports the scheduler allocated ({@code $(BIU_PORT_0)}).
 */
public final class CommandLine {

    private CommandLine() {
    }

    public static List<String> expand(List<String> command, Map<String, String> env) {
        List<String> expanded = new ArrayList<>(command.size());
        for (String arg : command) {
            expanded.add(expand(arg, env));
        }
        return expanded;
    }

    static String expand(String arg, Map<String, String> env) {
        if (arg.indexOf('$') < 0) {
            return arg;
        }
        StringBuilder out = new StringBuilder(arg.length());
        for (int i = 0; i < arg.length(); i++) {
            char c = arg.charAt(i);
            if (c != '$' || i + 1 == arg.length()) {
                out.append(c);
            } else if (arg.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (arg.charAt(i + 1) == '(') {
                int close = arg.indexOf(')', i + 2);
                String name = close < 0 ? null : arg.substring(i + 2, close);
                if (name != null && env.containsKey(name)) {
                    out.append(env.get(name));
                    i = close;
                } else {
                    out.append(c);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
