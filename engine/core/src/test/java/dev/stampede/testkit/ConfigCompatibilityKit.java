package dev.stampede.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.config.BackendConfig;
import dev.stampede.config.ConfigException;
import dev.stampede.config.ConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The configuration tests every listener module passes: every documented key is one the config
 * knows, every known key is documented, and every one of them can be set from the environment
 * under the name {@link ConfigSource#environmentVariable} gives it. Extend it with the listener's
 * config and a non-default example value for each key.
 */
public abstract class ConfigCompatibilityKit {

  private static final Pattern TABLE_KEY = Pattern.compile("^\\|\\s*`([a-z0-9.-]+)`");

  /** The listener's config reading {@code source}. */
  protected abstract BackendConfig config(ConfigSource source);

  /**
   * For every known key (without prefix), a valid value that is not its default, so that reading
   * it proves the value arrived.
   */
  protected abstract Map<String, String> exampleValues();

  /** The module's README, whose settings table documents every key. */
  protected abstract Path readme();

  private String prefix() {
    return config(ConfigSource.empty()).prefix();
  }

  private Set<String> knownKeys() {
    return new TreeSet<>(config(ConfigSource.empty()).knownKeys().keySet());
  }

  /**
   * Environment variables as the command line reads them ({@link ConfigSource#settingsInEnvironment}
   * under this config's prefix, kept under the variables' names).
   */
  private ConfigSource fromEnvironment(Map<String, String> environment) {
    return ConfigSource.of(ConfigSource.settingsInEnvironment(environment, Set.of(prefix())));
  }

  @Test
  public void hasAnExampleValueForEveryKnownKey() {
    assertThat(new TreeSet<>(exampleValues().keySet())).isEqualTo(knownKeys());
  }

  @Test
  public void documentsEveryKnownKeyAndNoOther() throws IOException {
    Set<String> documented = new TreeSet<>();
    for (String line : Files.readAllLines(readme())) {
      Matcher matcher = TABLE_KEY.matcher(line);
      if (matcher.find() && matcher.group(1).startsWith(prefix() + ".")) {
        documented.add(matcher.group(1).substring(prefix().length() + 1));
      }
    }
    assertThat(documented).isEqualTo(knownKeys());
  }

  @Test
  public void setsEveryKnownKeyFromTheEnvironment() {
    for (String key : knownKeys()) {
      String value = Objects.requireNonNull(exampleValues().get(key), key);
      String variable = ConfigSource.environmentVariable(prefix() + "." + key);
      assertThat(variable).matches("STAMPEDE_[A-Z0-9_]+");
      BackendConfig fromEnvironment = config(fromEnvironment(Map.of(variable, value)));
      BackendConfig fromSet = config(ConfigSource.of(Map.of(prefix() + "." + key, value)));
      BackendConfig defaults = config(ConfigSource.empty());

      assertThat(fromEnvironment.unknownKeys()).as(variable).isEmpty();
      assertThat(fromEnvironment.raw(key)).as(variable).isEqualTo(value);
      Object read = fromEnvironment.knownKeys().get(key).get();
      assertThat(read).as(variable).isEqualTo(fromSet.knownKeys().get(key).get());
      assertThat(read).as(variable + " must not read as the default").isNotEqualTo(defaults.knownKeys().get(key).get());
    }
  }

  @Test
  public void rejectsAMisspeltKeyFromTheEnvironmentNamingTheVariableAndTheKeyItMeant() {
    for (String key : knownKeys()) {
      String meant = prefix() + "." + key;
      String misspelt = ConfigSource.environmentVariable(meant) + "X";
      BackendConfig config = config(fromEnvironment(Map.of(misspelt, "1")));

      assertThat(config.unknownKeys()).as(misspelt).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .startsWith("unknown key " + misspelt + ", the environment variable of ")
          .contains("did you mean " + meant + "? Set it with " + ConfigSource.environmentVariable(meant) + " or --set " + meant + "=");
      assertThatThrownBy(config::validate).isInstanceOf(ConfigException.class).hasMessageContaining(misspelt);
    }
  }

  @Test
  public void listsTheKnownKeysForAnUnknownKeyFarFromAllOfThem() {
    String variable = "STAMPEDE_" + prefix().toUpperCase(java.util.Locale.ROOT) + "_NO_SUCH_SETTING_AT_ALL";
    BackendConfig config = config(fromEnvironment(Map.of(variable, "1")));

    assertThat(config.unknownKeys()).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("unknown key " + variable + ", the environment variable of ")
        .contains(" (known: " + prefix() + ".").doesNotContain("did you mean");
  }
}
