package io.biu.redismonitor;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The scaling policy is pure (the JDK only), and the service's packages form no cycle. */
class ArchitectureTest {

    /** This module's own classes, as built. */
    private final JavaClasses classes = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void purePackagesImportTheJdkOnly() {
        classes().that().resideInAnyPackage("io.biu.redismonitor.policy..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.biu.redismonitor.policy..").check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.biu.redismonitor.(*)..").should().beFreeOfCycles().check(classes);
    }
}
