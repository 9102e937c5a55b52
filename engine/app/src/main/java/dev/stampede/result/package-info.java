/**
 * The machine-readable result of a run ({@code --json FILE}): its model, and reading it back for
 * the gate, {@code compare} and {@code trend}.
 */
package dev.stampede.result;
