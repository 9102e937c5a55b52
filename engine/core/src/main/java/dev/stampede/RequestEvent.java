package dev.stampede;

/**
 * One finished request as request hooks see it: the recorded result plus what is needed to debug a
 * failure.
 *
 * @param result the result as recorded in the statistics and published to listeners
 * @param url the full URL requested, or {@code null} for {@code custom} measurements
 * @param response the response (status 0 when none was received), or {@code null} for
 *     {@code custom} measurements; its body and headers are available for logging a failure
 */
public record RequestEvent(RequestResult result, String url, Response response) {}
