package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class PathResolverTest {

  private final PathResolver paths = PathResolver.forBase(URI.create("http://127.0.0.1:8080/api/"));

  @Test
  void resolvesAPathOnceForEverySessionSharingTheResolver() {
    PathResolver.Resolved first = paths.resolve("/items?page=2#top");

    assertThat(first.url()).isEqualTo("http://127.0.0.1:8080/api/items?page=2");
    assertThat(first.target().path()).isEqualTo("/api/items");
    assertThat(paths.resolve("/items?page=2#top")).isSameAs(first);
  }

  @Test
  void pathsBeyondTheBoundAreResolvedEachTimeAndStillRight() {
    for (int i = 0; i < PathResolver.MAX_REMEMBERED; i++) {
      paths.resolve("/item/" + i);
    }

    PathResolver.Resolved beyond = paths.resolve("/item/new");

    assertThat(beyond.url()).isEqualTo("http://127.0.0.1:8080/api/item/new");
    assertThat(paths.resolve("/item/new")).isNotSameAs(beyond).isEqualTo(beyond);
    assertThat(paths.resolve("/item/0")).isSameAs(paths.resolve("/item/0"));
  }

  @Test
  void withoutABaseOnlyAbsoluteUrlsResolve() {
    PathResolver absoluteOnly = PathResolver.forBase(null);

    assertThat(absoluteOnly.resolve("https://example.test/x").url()).isEqualTo("https://example.test:443/x");
    assertThatThrownBy(() -> absoluteOnly.resolve("/x")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a base URL");
  }

  @Test
  void aPathWithAControlCharacterIsRefusedEveryTime() {
    assertThatThrownBy(() -> paths.resolve("/a\u0001b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> paths.resolve("/a\u0001b")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("control characters");
  }

  @Test
  void percentEncodesSpacesAndNonAsciiInPathsAndAbsoluteUrlsAlike() {
    assertThat(paths.resolve("/a b/\u00e9").url()).isEqualTo("http://127.0.0.1:8080/api/a%20b/%C3%A9");
    assertThat(paths.resolve("http://example.test/a b/\u00e9").url()).isEqualTo("http://example.test:80/a%20b/%C3%A9");
  }

  @Test
  void anInvalidUrlIsRefusedWithoutShowingItsCredentials() {
    assertThatThrownBy(() -> paths.resolve("http://user:secret@host:port/")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://***@host:port/").hasMessageNotContaining("secret");
  }
}
