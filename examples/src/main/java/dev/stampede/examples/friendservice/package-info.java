/**
 * The demo target service for Stampede's examples: a friend network over HTTP
 * ({@link dev.stampede.examples.friendservice.FriendService}), on the JDK's HTTP server with virtual
 * threads, backed by an in-memory H2 database that is seeded deterministically in the background.
 * Searches are partial matches that scan the whole users table, so writes made during a load test
 * slow the reads down, as they would in the service this demo imitates. Only {@code FriendService}
 * and its builder are public; handlers, storage and the seeder are package-private.
 */
package dev.stampede.examples.friendservice;
