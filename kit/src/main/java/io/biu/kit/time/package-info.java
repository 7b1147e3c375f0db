/** The clock bean. */
package io.biu.kit.time;
