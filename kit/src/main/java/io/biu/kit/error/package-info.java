/**
 * The error model every Biu service shares: a code from each service's closed set ({@link io.biu.kit.error.ErrorCode}),
 * grouped into {@link io.biu.kit.error.ErrorKind}s that map to HTTP statuses, and one exception type. The JDK only,
 * so that pure packages may throw these too.
 */
package io.biu.kit.error;
