/**
 * Comparing runs: a current run against a baseline, and N repeated runs reduced to their median
 * with a verdict on how noisy they were.
 */
package dev.stampede.compare;
