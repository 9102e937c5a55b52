package dev.stampede.examples.friendservice;

/**
 * A stored user as the API returns it.
 *
 * @param id the database id, assigned on insert, >= 1
 * @param username unique, 1 to {@value NewUser#MAX_USERNAME_LENGTH} characters
 * @param email the address given at creation
 */
record User(long id, String username, String email) {}
