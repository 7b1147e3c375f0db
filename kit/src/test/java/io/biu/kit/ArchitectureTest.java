package io.biu.kit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The kit's error model, INFO parser and text bounds are pure (the JDK only), and its packages form no cycle. */
class ArchitectureTest {

    /** This module's own classes, as built. */
    private final JavaClasses classes = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void purePackagesImportTheJdkOnly() {
        classes().that().resideInAnyPackage("io.biu.kit.error..", "io.biu.kit.info..", "io.biu.kit.text..").should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.biu.kit.error..", "io.biu.kit.info..", "io.biu.kit.text..")
                .check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.biu.kit.(*)..").should().beFreeOfCycles().check(classes);
    }
}
