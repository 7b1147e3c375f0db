/** The scheduler's error model: one exception type carrying a code from a closed set. */
package io.biu.scheduler.error;
