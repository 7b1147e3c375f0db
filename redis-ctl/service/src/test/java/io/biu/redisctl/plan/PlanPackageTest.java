package io.biu.redisctl.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The decisions stay pure: this package's sources import nothing but the JDK. */
class PlanPackageTest {

    private static final Path SOURCES = Path.of("src/main/java/io/biu/redisctl/plan");

    @Test
    void thePlanPackageImportsOnlyTheJdk() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(SOURCES)) {
            files = listed.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertFalse(files.isEmpty(), "no sources under " + SOURCES.toAbsolutePath());
        for (Path file : files) {
            List<String> foreign = Files.readAllLines(file).stream().map(String::trim)
                    .filter(l -> l.startsWith("import ")).filter(l -> !l.matches("import (static )?java\\..*"))
                    .toList();
            assertEquals(List.of(), foreign, file.getFileName() + " imports more than the JDK");
        }
    }
}
