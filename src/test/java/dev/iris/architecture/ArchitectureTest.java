package dev.iris.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.iris.selfservice.flow.Flow;
import dev.iris.selfservice.flow.FlowStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The structure README's code map draws, enforced on the compiled classes: no package cycles, and every import
 * goes down the layers — features (resources and flow services) → http → flow model and method SPI → domain →
 * base, with methods beside http: plug-ins that only the application wiring names.
 */
class ArchitectureTest {

    static final String APP = "dev.iris.app..";
    static final String[] FEATURES = {"dev.iris.selfservice.login..", "dev.iris.selfservice.registration..",
            "dev.iris.selfservice.settings..", "dev.iris.selfservice.sessions..", "dev.iris.admin..", "dev.iris.web..",
            "dev.iris.dev..", "dev.iris.meta..", "dev.iris.selfservice.errors..", "dev.iris.selfservice.recovery..",
            "dev.iris.selfservice.verification.."};
    static final String HTTP = "dev.iris.http..";
    static final String METHODS = "dev.iris.method..";
    static final String[] FLOWS = {"dev.iris.selfservice.flow..", "dev.iris.selfservice.ui..",
            "dev.iris.selfservice.hook.."};
    static final String[] DOMAIN = {"dev.iris.identity..", "dev.iris.credential..", "dev.iris.session..", "dev.iris.mail..",
            "dev.iris.ratelimit..", "dev.iris.maintenance..", "dev.iris.events.."};
    static final String[] BASE = {"dev.iris.crypto..", "dev.iris.support..", "dev.iris.config.."};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.iris");
    }

    /** Every package is its own slice: no two packages may reach each other, however indirectly. */
    @Test
    void noPackageCycles() {
        slices().matching("dev.iris.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void importsGoDownTheLayers() {
        layers().check(classes);
    }

    static ArchRule layers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("App").definedBy(APP)
                .layer("Features").definedBy(FEATURES)
                .layer("Http").definedBy(HTTP)
                .layer("Methods").definedBy(METHODS)
                .layer("Flows").definedBy(FLOWS)
                .layer("Domain").definedBy(DOMAIN)
                .layer("Base").definedBy(BASE)
                .whereLayer("App").mayNotBeAccessedByAnyLayer()
                .whereLayer("Features").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Http").mayOnlyBeAccessedByLayers("App", "Features")
                .whereLayer("Methods").mayOnlyBeAccessedByLayers("App")
                .whereLayer("Flows").mayOnlyBeAccessedByLayers("App", "Features", "Http", "Methods")
                .whereLayer("Domain").mayOnlyBeAccessedByLayers("App", "Features", "Http", "Methods", "Flows")
                .whereLayer("Base").mayOnlyBeAccessedByLayers("App", "Features", "Http", "Methods", "Flows",
                        "Domain");
    }

    /** Configuration is a leaf: the typed config reaches nothing else of Iris. */
    @Test
    void configIsALeaf() {
        noClasses().that().resideInAPackage("dev.iris.config..")
                .should().dependOnClassesThat(resideInAPackage("dev.iris..")
                        .and(resideOutsideOfPackage("dev.iris.config..")))
                .check(classes);
    }

    /** Methods return outcomes; only the flow services move a flow on and save it. */
    @Test
    void methodsNeverSaveFlows() {
        noClasses().that().resideInAPackage(METHODS)
                .should().callMethod(FlowStore.class, "save", Flow.class)
                .check(classes);
    }
}
