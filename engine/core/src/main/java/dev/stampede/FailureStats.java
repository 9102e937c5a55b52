package dev.stampede;

/**
 * How often one error happened on one endpoint.
 *
 * @param method the request method
 * @param name the grouped endpoint name
 * @param error the error message
 * @param occurrences how many times it happened
 * @param firstSeenEpochMillis when it first happened
 * @param lastSeenEpochMillis when it last happened
 */
public record FailureStats(
    String method,
    String name,
    String error,
    long occurrences,
    long firstSeenEpochMillis,
    long lastSeenEpochMillis) {}
