package dev.stampede.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CookieJarTest {

  private static final long NOW = 1_700_000_000_000L;

  private final CookieJar jar = new CookieJar();

  private static Target target(String url) {
    return Target.of(URI.create(url));
  }

  @Test
  void sendsCookieBackToTheSameHostAndPath() {
    jar.store(target("http://example.test/login"), List.of("sid=abc; Path=/; HttpOnly"), NOW);

    assertThat(jar.header(target("http://example.test/account"), NOW)).isEqualTo("sid=abc");
    assertThat(jar.header(target("http://other.test/account"), NOW)).isNull();
  }

  @Test
  void defaultPathIsTheDirectoryOfTheRequest() {
    jar.store(target("http://example.test/shop/cart/add"), List.of("cart=1"), NOW);

    assertThat(jar.header(target("http://example.test/shop/cart/view"), NOW)).isEqualTo("cart=1");
    assertThat(jar.header(target("http://example.test/shop/other"), NOW)).isNull();
    assertThat(jar.header(target("http://example.test/shop/cartoon"), NOW)).isNull();
  }

  @Test
  void maxAgeExpiresCookieAndWinsOverExpires() {
    jar.store(target("http://example.test/"),
        List.of("a=1; Max-Age=10; Expires=Wed, 21 Oct 2099 07:28:00 GMT"), NOW);

    assertThat(jar.header(target("http://example.test/"), NOW + 9_000)).isEqualTo("a=1");
    assertThat(jar.header(target("http://example.test/"), NOW + 10_000)).isNull();
  }

  @Test
  void expiresInThePastDeletesCookie() {
    jar.store(target("http://example.test/"), List.of("a=1"), NOW);
    jar.store(target("http://example.test/"), List.of("a=gone; Expires=Thu, 01 Jan 1970 00:00:00 GMT"), NOW);

    assertThat(jar.header(target("http://example.test/"), NOW)).isNull();
  }

  @Test
  void replacesCookieWithSameNameDomainAndPath() {
    jar.store(target("http://example.test/"), List.of("a=1; Path=/"), NOW);
    jar.store(target("http://example.test/"), List.of("a=2; Path=/"), NOW);

    assertThat(jar.header(target("http://example.test/"), NOW)).isEqualTo("a=2");
  }

  @Test
  void domainCookieReachesSubdomainsButForeignDomainIsRejected() {
    jar.store(target("http://www.example.test/"), List.of("d=1; Domain=.example.test", "x=1; Domain=evil.test"), NOW);

    assertThat(jar.header(target("http://api.example.test/"), NOW)).isEqualTo("d=1");
    assertThat(jar.header(target("http://evil.test/"), NOW)).isNull();
  }

  @Test
  void secureCookieIsOnlySentOverHttps() {
    jar.store(target("https://example.test/"), List.of("s=1; Secure"), NOW);

    assertThat(jar.header(target("https://example.test/"), NOW)).isEqualTo("s=1");
    assertThat(jar.header(target("http://example.test/"), NOW)).isNull();
  }

  @Test
  void listsLongerPathsFirst() {
    jar.store(target("http://example.test/"), List.of("root=1; Path=/", "deep=2; Path=/a/b"), NOW);

    assertThat(jar.header(target("http://example.test/a/b/c"), NOW)).isEqualTo("deep=2; root=1");
  }

  @Test
  void ignoresSetCookieWithoutNameValuePair() {
    jar.store(target("http://example.test/"), List.of("garbage", "=novalue"), NOW);

    assertThat(jar.header(target("http://example.test/"), NOW)).isNull();
  }

  /** RFC 6265 section 5.1.1: the forms servers send, all parsed by the same lenient algorithm. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      Thu, 01 Jan 1970 00:00:00 GMT     | 0
      Thu, 01-Jan-1970 00:00:01 GMT     | 1000
      Sunday, 06-Nov-94 08:49:37 GMT    | 784111777000
      Sun Nov  6 08:49:37 1994          | 784111777000
      Sun, 06 Nov 1994 08:49:37 GMT     | 784111777000
      06 november 1994 8:9:7            | 784109347000
      Wed, 21-Oct-15 07:28:00 GMT       | 1445412480000
      1994-Nov-06 08:49:37              | 784111777000
      Thu, 31 Feb 2024 00:00:00 GMT     | -1
      Thu, 01 Jan 1600 00:00:00 GMT     | -1
      Thu, 01 Jan 1970 24:00:00 GMT     | -1
      tomorrow                          | -1
      """)
  void parsesCookieDatesLeniently(String value, long expectedMillis) {
    long parsed = CookieJar.parseDate(value.trim());

    assertThat(parsed).isEqualTo(expectedMillis == -1 ? CookieJar.NO_DATE : expectedMillis);
  }

  @Test
  void aDashedDateInThePastDeletesTheCookie() {
    jar.store(target("http://example.test/"), List.of("a=1; Path=/"), NOW);
    jar.store(target("http://example.test/"), List.of("a=gone; Path=/; Expires=Thu, 01-Jan-1970 00:00:01 GMT"), NOW);

    assertThat(jar.header(target("http://example.test/"), NOW)).isNull();
  }

  @Test
  void aTwoDigitYearInTheFutureKeepsTheCookieUntilThen() {
    jar.store(target("http://example.test/"), List.of("a=1; Expires=Fri, 01-Jan-38 00:00:00 GMT"), NOW);

    assertThat(jar.header(target("http://example.test/"), NOW)).isEqualTo("a=1");
    assertThat(jar.header(target("http://example.test/"), 2_145_916_800_000L)).isNull();
  }
}
