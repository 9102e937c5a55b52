package dev.stampede.cli;

import dev.stampede.Hooks;
import dev.stampede.LoadShape;
import dev.stampede.User;
import java.util.List;

/**
 * What a scenario file or class declares.
 *
 * @param name the scenario's name for reports
 * @param userClasses the concrete user classes, at least one
 * @param shape a load shape, or {@code null}
 * @param hooks event hooks to register
 * @param classLoader what loaded the scenario, with its //DEPS and --classpath jars: the users'
 *     context class loader, so that ServiceLoader-based libraries (JDBC drivers) find them
 */
record Scenario(String name, List<Class<? extends User>> userClasses, LoadShape shape, List<Hooks> hooks,
    ClassLoader classLoader) {}
