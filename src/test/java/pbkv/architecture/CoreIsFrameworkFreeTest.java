package pbkv.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The protocol stays plain Java: testable without Spring, sockets or a registry. */
class CoreIsFrameworkFreeTest {

    private final JavaClasses production = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("pbkv");

    @Test
    void coreDependsOnNoFrameworkHttpOrMetrics() {
        noClasses().that().resideInAPackage("pbkv.core..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "io.micrometer..",
                        "jakarta.servlet..", "java.net.http..", "tools.jackson..", "pbkv.web..", "pbkv.peer..",
                        "pbkv.config..", "pbkv.observability..", "pbkv.heartbeat..", "pbkv.persistence..")
                .because("the replication protocol must run deterministically without the shell around it")
                .check(production);
    }

    @Test
    void coreNeverReadsTheWallClock() {
        noClasses().that().resideInAPackage("pbkv.core..")
                .should().callMethod(java.time.Instant.class, "now")
                .orShould().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .because("time is an argument: the core is driven by the clock it is given")
                .check(production);
    }

    @Test
    void checkerBenchmarkAndNodeHarnessAreFrameworkFreeToo() {
        noClasses().that().resideInAnyPackage("pbkv.check..", "pbkv.bench..", "pbkv.harness..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework..")
                .check(production);
    }
}
