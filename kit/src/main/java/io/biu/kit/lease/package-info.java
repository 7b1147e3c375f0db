/** Leases for single-runner jobs, timed by the database's clock. */
package io.biu.kit.lease;
