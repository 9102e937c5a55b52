package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class UrlsTest {

  private static final String BASE = "http://a/b/c/d;p?q";

  /** RFC 3986 section 5.4.1, every example. */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      g:h           | g:h
      g             | http://a/b/c/g
      ./g           | http://a/b/c/g
      g/            | http://a/b/c/g/
      /g            | http://a/g
      //g           | http://g
      ?y            | http://a/b/c/d;p?y
      g?y           | http://a/b/c/g?y
      #s            | http://a/b/c/d;p?q#s
      g#s           | http://a/b/c/g#s
      g?y#s         | http://a/b/c/g?y#s
      ;x            | http://a/b/c/;x
      g;x           | http://a/b/c/g;x
      g;x?y#s       | http://a/b/c/g;x?y#s
      ''            | http://a/b/c/d;p?q
      .             | http://a/b/c/
      ./            | http://a/b/c/
      ..            | http://a/b/
      ../           | http://a/b/
      ../g          | http://a/b/g
      ../..         | http://a/
      ../../        | http://a/
      ../../g       | http://a/g
      """)
  void resolvesTheNormalExamplesOfRfc3986(String reference, String expected) {
    assertThat(Urls.resolve(BASE, reference)).isEqualTo(expected);
  }

  /** RFC 3986 section 5.4.2, every example (strict parser). */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      ../../../g    | http://a/g
      ../../../../g | http://a/g
      /./g          | http://a/g
      /../g         | http://a/g
      g.            | http://a/b/c/g.
      .g            | http://a/b/c/.g
      g..           | http://a/b/c/g..
      ..g           | http://a/b/c/..g
      ./../g        | http://a/b/g
      ./g/.         | http://a/b/c/g/
      g/./h         | http://a/b/c/g/h
      g/../h        | http://a/b/c/h
      g;x=1/./y     | http://a/b/c/g;x=1/y
      g;x=1/../y    | http://a/b/c/y
      g?y/./x       | http://a/b/c/g?y/./x
      g?y/../x      | http://a/b/c/g?y/../x
      g#s/./x       | http://a/b/c/g#s/./x
      g#s/../x      | http://a/b/c/g#s/../x
      http:g        | http:g
      """)
  void resolvesTheAbnormalExamplesOfRfc3986(String reference, String expected) {
    assertThat(Urls.resolve(BASE, reference)).isEqualTo(expected);
  }

  @Test
  void aQueryOnlyReferenceKeepsThePath() {
    assertThat(Urls.resolve("http://host:8080/list", "?page=2")).isEqualTo("http://host:8080/list?page=2");
    // What java.net.URI.resolve (RFC 2396) makes of it, the bug this replaces:
    assertThat(java.net.URI.create("http://host:8080/list").resolve("?page=2").toString())
        .isEqualTo("http://host:8080/?page=2");
  }

  @Test
  void percentEncodesNonAsciiAsUtf8AndLeavesEscapesAlone() {
    assertThat(Urls.encode("url", "http://host/caf\u00e9/%C3%A9?q=\u00fc ber&x=\u20ac"))
        .isEqualTo("http://host/caf%C3%A9/%C3%A9?q=%C3%BC%20ber&x=%E2%82%AC");
    assertThat(Urls.encode("path", "/emoji/\uD83D\uDE00")).isEqualTo("/emoji/%F0%9F%98%80");
    assertThat(Urls.encode("path", "/a?b={\"c\"}|d")).isEqualTo("/a?b=%7B%22c%22%7D%7Cd");
    assertThat(Urls.encode("path", "/plain?already=%20encoded")).isEqualTo("/plain?already=%20encoded");
  }

  @Test
  void convertsANonAsciiHostToPunycode() {
    assertThat(Urls.encode("url", "http://b\u00fccher.example:8080/b\u00fccher"))
        .isEqualTo("http://xn--bcher-kva.example:8080/b%C3%BCcher");
  }

  @Test
  void encodesNonAsciiCredentialsBeforeAnIpv6Host() {
    assertThat(Urls.encode("url", "http://j\u00f6rg:pw@[::1]:8080/x")).isEqualTo("http://j%C3%B6rg:pw@[::1]:8080/x");
    assertThat(Urls.basicAuthorization("j%C3%B6rg:p%40ss")).isEqualTo("Basic "
        + java.util.Base64.getEncoder().encodeToString("j\u00f6rg:p@ss".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertThat(Urls.basicAuthorization("token")).isEqualTo("Basic dG9rZW46");
  }

  @Test
  void refusesControlCharactersWithoutShowingCredentials() {
    assertThatThrownBy(() -> Urls.encode("url", "http://user:secret@host/a\tb"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("url must not contain control characters but had U+0009 at index 25")
        .hasMessageNotContaining("secret");
  }

  @Test
  void encodesLocationBytesAsTheyCame() {
    // "é" sent as UTF-8 bytes C3 A9 arrives as two ISO-8859-1 characters.
    assertThat(Urls.encodeLocation("/caf\u00c3\u00a9 x")).isEqualTo("/caf%C3%A9%20x");
  }

  @Test
  void redactsUserInformation() {
    assertThat(Urls.redact("http://user:secret@host:8080/p?q=a@b")).isEqualTo("http://***@host:8080/p?q=a@b");
    assertThat(Urls.redact("http://host/p?user=a@b")).isEqualTo("http://host/p?user=a@b");
    assertThat(Urls.redact("/relative@path")).isEqualTo("/relative@path");
    assertThat(Urls.withoutUserInfo("https://u:p@host/x")).isEqualTo("https://host/x");
    assertThat(Urls.redact(null)).isNull();
  }
}
