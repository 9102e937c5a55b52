/**
 * Runs over time: the results archive ({@code --results-dir}) named by time and git commit, and
 * the trend chart drawn from it.
 */
package dev.stampede.history;
