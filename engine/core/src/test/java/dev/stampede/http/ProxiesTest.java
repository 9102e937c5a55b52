package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxiesTest {

  private static Target target(String url) {
    return Target.of(URI.create(url));
  }

  private static String selected(Proxies proxies, String url) {
    Proxies.Proxy proxy = proxies.select(target(url));
    return proxy == null ? "direct" : proxy.address();
  }

  @Test
  void readsLowerCaseVariablesBeforeUpperCaseOnes() {
    Proxies proxies = Proxies.fromEnvironment(Map.of("http_proxy", "http://lower:3128", "HTTP_PROXY", "http://upper:3128",
        "HTTPS_PROXY", "upper-tls:8443"), new Properties());

    assertThat(selected(proxies, "http://example.test/")).isEqualTo("lower:3128");
    assertThat(selected(proxies, "https://example.test/")).isEqualTo("upper-tls:8443");
  }

  @Test
  void allProxyIsTheFallbackForBothSchemes() {
    Proxies proxies = Proxies.fromEnvironment(Map.of("ALL_PROXY", "http://all:1", "https_proxy", "http://tls:2"),
        new Properties());

    assertThat(selected(proxies, "http://example.test/")).isEqualTo("all:1");
    assertThat(selected(proxies, "https://example.test/")).isEqualTo("tls:2");
  }

  @Test
  void noVariablesMeansNoProxy() {
    Proxies proxies = Proxies.fromEnvironment(Map.of("NO_PROXY", "*", "PATH", "/bin"), new Properties());

    assertThat(selected(proxies, "http://example.test/")).isEqualTo("direct");
    assertThat(proxies.toString()).isEqualTo("no proxy");
  }

  /** curl's no_proxy conventions. */
  @ParameterizedTest(name = "no_proxy={0}: {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      *                            | http://anything.test/           | direct
      example.com                  | http://example.com/             | direct
      example.com                  | http://api.example.com/         | direct
      example.com                  | http://notexample.com/          | proxy:3128
      .example.com                 | http://example.com/             | direct
      .example.com                 | http://deep.api.example.com/    | direct
      EXAMPLE.com                  | http://Example.COM/             | direct
      localhost, 127.0.0.1         | http://127.0.0.1:8080/          | direct
      localhost,127.0.0.1          | http://localhost/               | direct
      localhost 10.1.2.3           | http://10.1.2.3/                | direct
      10.0.0.0/8                   | http://10.200.3.4/              | direct
      10.0.0.0/8                   | http://11.0.0.1/                | proxy:3128
      192.168.1.0/25               | http://192.168.1.127/           | direct
      192.168.1.0/25               | http://192.168.1.128/           | proxy:3128
      ::1                          | http://[::1]:8080/              | direct
      [::1]:8080                   | http://[::1]:8080/              | direct
      [::1]:8080                   | http://[::1]:9090/              | proxy:3128
      example.com:8080             | http://example.com:8080/        | direct
      example.com:8080             | http://example.com/             | proxy:3128
      example.com:443              | https://www.example.com/        | direct
      ''                           | http://example.com/             | proxy:3128
      """)
  void followsCurlsNoProxyRules(String noProxy, String url, String expected) {
    Proxies proxies = Proxies.fromEnvironment(Map.of("http_proxy", "proxy:3128", "https_proxy", "proxy:3128",
        "no_proxy", noProxy), new Properties());

    assertThat(selected(proxies, url)).isEqualTo(expected);
  }

  @Test
  void javaSystemPropertiesWinOverTheEnvironmentWithJavasNonProxyHosts() {
    Properties properties = new Properties();
    properties.setProperty("http.proxyHost", "jvm-proxy");
    properties.setProperty("http.proxyPort", "8081");
    properties.setProperty("https.proxyHost", "jvm-tls-proxy");
    properties.setProperty("http.nonProxyHosts", "*.internal|intranet");

    Proxies proxies = Proxies.fromEnvironment(Map.of("http_proxy", "env:1"), properties);

    assertThat(selected(proxies, "http://example.test/")).isEqualTo("jvm-proxy:8081");
    assertThat(selected(proxies, "https://example.test/")).isEqualTo("jvm-tls-proxy:443");
    assertThat(selected(proxies, "http://db.internal/")).isEqualTo("direct");
    assertThat(selected(proxies, "https://intranet/")).isEqualTo("direct");
    assertThat(selected(proxies, "http://intranet.example/")).isEqualTo("jvm-proxy:8081");
  }

  @Test
  void javasDefaultNonProxyHostsBypassLoopback() {
    Properties properties = new Properties();
    properties.setProperty("http.proxyHost", "jvm-proxy");

    Proxies proxies = Proxies.fromEnvironment(Map.of(), properties);

    assertThat(selected(proxies, "http://localhost:8080/")).isEqualTo("direct");
    assertThat(selected(proxies, "http://127.0.0.1:8080/")).isEqualTo("direct");
    assertThat(selected(proxies, "http://example.test/")).isEqualTo("jvm-proxy:80");
  }

  @Test
  void anExplicitProxyTakesEveryRequestButItsNoProxyHosts() {
    Proxies proxies = Proxies.of("http://u:p@explicit:3128", "skip.test");

    assertThat(selected(proxies, "http://127.0.0.1/")).isEqualTo("explicit:3128");
    assertThat(selected(proxies, "https://example.test/")).isEqualTo("explicit:3128");
    assertThat(selected(proxies, "https://skip.test/")).isEqualTo("direct");
    assertThat(proxies.select(target("http://x.test/")).authorization()).isEqualTo("Basic dTpw");
  }

  @Test
  void refusesUnsupportedOrBrokenProxyUrlsWithoutShowingCredentials() {
    assertThatThrownBy(() -> Proxies.of("socks5://user:secret@proxy:1080", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("proxy socks5://***@proxy:1080 must be an http:// proxy URL (a proxy spoken to over TLS, or SOCKS,"
            + " is not supported)");
    assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("HTTPS_PROXY", "http://user:secret@"), new Properties()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("HTTPS_PROXY http://***@")
        .hasMessageNotContaining("secret");
    Properties badPort = new Properties();
    badPort.setProperty("http.proxyHost", "p");
    badPort.setProperty("http.proxyPort", "eighty");
    assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of(), badPort))
        .hasMessage("http.proxyPort must be a port (1 to 65535) but was eighty");
  }

  @Test
  void aProxyShowsItsAddressOnly() {
    Proxies.Proxy proxy = Proxies.parse("proxy", "http://user:secret@[::1]:3128");

    assertThat(proxy).hasToString("proxy [::1]:3128");
    assertThat(proxy.authorization()).isEqualTo("Basic dXNlcjpzZWNyZXQ=");
  }
}
