package ai.dad.service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The decision in docs/ARCHITECTURE.md ("Why the service sees no engine types"), kept by the build. */
class ServiceArchitectureTest {

    private static final JavaClasses SERVICE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("ai.dad.service");

    @Test
    void theServiceReachesTheModelOnlyThroughTheEngineFreeEntry() {
        noClasses().that().resideInAPackage("ai.dad.service..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "ai.dad.djl..", "ai.dad.toolkit..")
                .because("the service calls InspectionBackend.inspect(PixelBatch) and finds the backend with ServiceLoader")
                .check(SERVICE);
    }
}
