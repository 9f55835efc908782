package io.alerthub.architecture;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The boundaries of docs/architecture.md, on the compiled main classes of every module (tests may use the core's
 * fixtures): a plugin uses the SPI and nothing of the core, no plugin uses another, the SPI uses neither, and the
 * core uses no plugin. A plugin is the package of a class that implements {@code NotifierProvider}, so a new plugin
 * module is covered once this module depends on it.
 *
 * <p>The build enforces the same before this test runs: a plugin's main code compiles against {@code alerthub-spi}
 * alone, so {@code import io.alerthub.core.Hub;} in it does not compile.
 */
class ModuleBoundariesTest {

    private static final String SPI = "io.alerthub.spi..";
    private static final String CORE = "io.alerthub.core..";

    private static JavaClasses classes;
    private static Set<String> plugins;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.alerthub");
        plugins = new TreeSet<>();
        for (JavaClass c : classes) {
            if (!c.isInterface() && c.isAssignableTo("io.alerthub.spi.NotifierProvider")
                    && !c.getPackageName().startsWith("io.alerthub.core")) {
                plugins.add(c.getPackageName());
            }
        }
    }

    @Test
    void everyPluginIsFound() {
        assertTrue(plugins.containsAll(List.of("io.alerthub.websocket", "io.alerthub.mqtt", "io.alerthub.email",
                                               "io.alerthub.webhook", "io.alerthub.log")), "plugins found: " + plugins);
    }

    @Test
    void aPluginUsesNothingOfTheCore() {
        for (String plugin : plugins) {
            rule(noClasses().that().resideInAPackage(plugin + "..")
                         .should().dependOnClassesThat().resideInAPackage(CORE)
                         .because("a plugin sees the hub through alerthub-spi only"));
        }
    }

    @Test
    void noPluginUsesAnother() {
        for (String plugin : plugins) {
            for (String other : plugins) {
                if (!other.equals(plugin)) {
                    rule(noClasses().that().resideInAPackage(plugin + "..")
                                 .should().dependOnClassesThat().resideInAPackage(other + "..")
                                 .because("plugins know the SPI, never each other"));
                }
            }
        }
    }

    @Test
    void theSpiUsesNeitherTheCoreNorAPlugin() {
        rule(noClasses().that().resideInAPackage(SPI)
                     .should().dependOnClassesThat().resideInAPackage(CORE)
                     .because("alerthub-spi is what a plugin author gets, alone"));
        for (String plugin : plugins) {
            rule(noClasses().that().resideInAPackage(SPI)
                         .should().dependOnClassesThat().resideInAPackage(plugin + ".."));
        }
    }

    @Test
    void theCoreUsesNoPlugin() {
        for (String plugin : plugins) {
            rule(noClasses().that().resideInAPackage(CORE)
                         .should().dependOnClassesThat().resideInAPackage(plugin + "..")
                         .because("the core finds plugins with ServiceLoader and never imports one"));
        }
    }

    private static void rule(ArchRule rule) {
        rule.check(classes);
    }
}
