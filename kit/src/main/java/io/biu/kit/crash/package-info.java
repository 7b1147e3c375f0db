/** Crash points for recovery tests, at the steps services declare. */
package io.biu.kit.crash;
