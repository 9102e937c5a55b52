package dev.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stampede.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebAccessTest {

  @TempDir
  Path dir;

  @Test
  void readsCredentialsFromAFileOrTheEnvironmentSoTheyNeverShowInPs() throws Exception {
    Path file = Files.writeString(dir.resolve("web-auth"), "admin:s3cret-from-file\n");

    assertThat(WebAccess.credentials(null, file, Map.of())).isEqualTo("admin:s3cret-from-file");
    assertThat(WebAccess.credentials(null, null, Map.of("STAMPEDE_WEB_AUTH", "admin:s3cret-env")))
        .isEqualTo("admin:s3cret-env");
    assertThat(WebAccess.credentials("admin:cli", null, Map.of("STAMPEDE_WEB_AUTH", "admin:env"))).isEqualTo("admin:cli");
    assertThat(WebAccess.credentials(null, null, Map.of())).isNull();
  }

  @Test
  void refusesAnEmptyFileAndBothOptionsWithoutShowingTheSecret() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path file = Files.writeString(dir.resolve("auth"), "admin:s3cret\n");

    assertThatThrownBy(() -> WebAccess.credentials(null, empty, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("is empty");
    assertThatThrownBy(() -> WebAccess.credentials("admin:s3cret", file, Map.of())).isInstanceOf(ConfigException.class)
        .hasMessage("give --web-auth or --web-auth-file, not both");
    assertThatThrownBy(() -> WebAccess.credentials(null, dir.resolve("missing"), Map.of()))
        .isInstanceOf(ConfigException.class).hasMessageNotContaining("s3cret");
  }

  @Test
  void refusesAllInterfacesWithoutAuthUnlessExplicitlyAllowed() {
    assertThatThrownBy(() -> WebAccess.checkExposure("0.0.0.0", null, false)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--web-host 0.0.0.0 serves the page beyond this machine")
        .hasMessageContaining("--web-allow-no-auth");
    assertThatCode(() -> WebAccess.checkExposure("0.0.0.0", "admin:pw", false)).doesNotThrowAnyException();
    assertThatCode(() -> WebAccess.checkExposure("0.0.0.0", null, true)).doesNotThrowAnyException();
    assertThatCode(() -> WebAccess.checkExposure("127.0.0.1", null, false)).doesNotThrowAnyException();
    assertThatCode(() -> WebAccess.checkExposure("localhost", null, false)).doesNotThrowAnyException();
  }
}
