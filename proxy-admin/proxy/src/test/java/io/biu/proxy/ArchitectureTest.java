package io.biu.proxy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * RESP parsing and key hashing are pure: the JDK, and Netty's buffers (the proxy parses in place, without copying)
 * but none of its channels or handlers. The proxy's packages form no cycle.
 */
class ArchitectureTest {

    /** This module's own classes, as built. */
    private final JavaClasses classes = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void respImportsTheJdkAndNettysBuffersOnly() {
        classes().that().resideInAnyPackage("io.biu.proxy.resp..").should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "io.netty.buffer..", "io.netty.util..", "io.biu.proxy.resp..")
                .check(classes);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.biu.proxy.(*)..").should().beFreeOfCycles().check(classes);
    }
}
