package io.biu.cli.render;

import static io.biu.cli.render.ProgressLineTest.task;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressPrinterTest {

    private final StringWriter text = new StringWriter();

    @Test
    void withoutATerminalALineIsPrintedOnlyWhenTheStepOrItsReportChanges() {
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), false);
        printer.update(task("running", "meet", 0, "0 of 2", null));
        printer.update(task("running", "meet", 0, "0 of 2", null));
        printer.update(task("running", "meet", 0, "2 of 2", null));
        printer.update(task("running", "replicate", 1, "2 of 2", null));
        printer.finish("cluster shop scaled");
        assertEquals("""
                [1/7] meet: 0 of 2
                [1/7] meet: 2 of 2
                [2/7] replicate: 2 of 2
                cluster shop scaled
                """, text.toString());
    }

    @Test
    void withoutATerminalEachStepDoneIsPrintedWithItsTimeAndLastReport() {
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), false);
        printer.update(task("running", "meet", 0, "0 of 2", null));
        printer.stepDone(1, 7, "meet", 224, "2 of 2");
        printer.stepDone(2, 7, "replicate", 2, "");
        printer.update(task("running", "activate", 2, "", null));
        printer.finish("cluster shop scaled");
        assertEquals("""
                [1/7] meet: 0 of 2
                [1/7] meet done in 0.2 s: 2 of 2
                [2/7] replicate done in 0.0 s
                [3/7] activate
                cluster shop scaled
                """, text.toString());
    }

    @Test
    void onATerminalTheStatusLineMovesOnWithoutALinePerStep() {
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), true);
        printer.stepDone(1, 7, "meet", 224, "2 of 2");
        printer.finish("done");
        assertEquals("done\n", text.toString());
    }

    @Test
    void onATerminalOneLineIsRedrawnAndClearedBeforeTheResult() {
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text), true);
        printer.status("waiting: 0 of 12");
        printer.status("waiting: 1 of 2");
        printer.finish("done");
        assertEquals("\rwaiting: 0 of 12\rwaiting: 1 of 2 \r" + " ".repeat(15) + "\rdone\n", text.toString());
    }
}
