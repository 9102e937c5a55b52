package dev.stampede.config;

import java.util.regex.Pattern;

/**
 * Masks secrets in what a listener shows: its {@code toString}, log lines, exception messages and
 * reports. Every listener masks through here, so one test proves the rule for all of them.
 */
public final class Secrets {

  /** What a secret is replaced with. */
  public static final String MASK = "****";

  /** The user-info part of a URL, {@code user:password@} in {@code https://user:password@host/}. */
  private static final Pattern URL_USER_INFO = Pattern.compile("(?<=://)[^/@\\s]*@");
  /** Query parameters that carry credentials ({@code ?u=..&p=..} of InfluxDB 1, tokens, keys). */
  private static final Pattern SECRET_QUERY = Pattern.compile(
      "(?i)([?&](?:p|password|token|access_token|api_key|apikey|secret|signature|x-amz-signature|x-amz-credential)=)[^&#\\s]*");

  private Secrets() {}

  /** {@code text} with the user info of any URL in it and secret query parameters masked. */
  public static String maskUrl(String text) {
    if (text == null) {
      return null;
    }
    String masked = URL_USER_INFO.matcher(text).replaceAll(MASK + "@");
    return SECRET_QUERY.matcher(masked).replaceAll("$1" + MASK);
  }

  /**
   * {@code text} with every one of {@code secrets} (values, not keys; blank ones are ignored) and
   * URL credentials masked: for messages that may quote a secret, such as a backend's error reply.
   */
  public static String mask(String text, Iterable<String> secrets) {
    if (text == null) {
      return null;
    }
    String masked = text;
    for (String secret : secrets) {
      if (secret != null && !secret.isBlank()) {
        masked = masked.replace(secret, MASK);
      }
    }
    return maskUrl(masked);
  }
}
