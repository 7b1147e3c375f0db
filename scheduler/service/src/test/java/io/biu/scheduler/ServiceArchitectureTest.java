package io.biu.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The scheduler's packages (planning, the service and its contract) form no cycle. */
class ServiceArchitectureTest {

    /** This module's own classes, as built. */
    private final JavaClasses classes = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.biu.scheduler.(*)..").should().beFreeOfCycles().check(classes);
    }
}
