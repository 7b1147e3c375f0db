package io.biu.cli.render;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Shows a task's progress. On a terminal it redraws one status line in place (carriage return, the line, blanks
 * over what the last one left); elsewhere (a pipe, a log file, a CI job) it prints a plain line only when the step
 * or what it reported changed, so that logs stay short, and a line for each step when it is done, with what it
 * took and last said. {@link #finish} ends with the one-line result.
 */
public final class ProgressPrinter {

    private final PrintWriter out;
    private final boolean terminal;
    private String lastKey;
    private int lastWidth;

    public ProgressPrinter(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    public void update(TaskSnapshot t) {
        status(t.stepsDone() + "|" + t.step() + "|" + t.progress() + "|" + t.error(), ProgressLine.render(t));
    }

    /**
     * A step of the task is done: {@code [2/7] migrate done in 2.0 s: what it last said}. Printed without a
     * terminal only (a log then shows every step, even one quicker than a poll); a terminal's status line moves on.
     */
    public void stepDone(int number, int steps, String step, long tookMs, String report) {
        if (!terminal) {
            out.println("[" + number + "/" + steps + "] " + step + " done in "
                    + Format.duration(Duration.ofMillis(tookMs)) + (report.isEmpty() ? "" : ": " + report));
            lastKey = null;
        }
    }

    /** A status of the command's own (not a task's), e.g. waiting for containers; shown as {@link #update} does. */
    public void status(String line) {
        status(line, line);
    }

    private void status(String key, String line) {
        if (terminal) {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            out.flush();
        } else if (!key.equals(lastKey)) {
            out.println(line);
        }
        lastKey = key;
    }

    /** Ends the status line (if any) and prints the result. */
    public void finish(String result) {
        if (terminal && lastWidth > 0) {
            out.print("\r" + " ".repeat(lastWidth) + "\r");
        }
        lastWidth = 0;
        lastKey = null;
        out.println(result);
        out.flush();
    }
}
