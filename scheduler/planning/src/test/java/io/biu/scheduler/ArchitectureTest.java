package io.biu.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Planning is pure: CPU plans, capacity, placement and IPAM import the JDK and the kit's pure parts (the shared error
 * model, bounded text) only.
 */
class ArchitectureTest {

    /** This module's own classes, as built. */
    private final JavaClasses planning = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void planningImportsTheJdkAndTheKitsPurePartsOnly() {
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("java..", "io.biu.scheduler..",
                "io.biu.kit.error..", "io.biu.kit.text..").check(planning);
    }

    @Test
    void planningsPackagesFormNoCycle() {
        slices().matching("io.biu.scheduler.(*)..").should().beFreeOfCycles().check(planning);
    }
}
