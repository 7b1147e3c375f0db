/** Secrets at rest: columns sealed under a key file of the service's own, so a copied database gives nothing away. */
package io.biu.kit.secret;
