/** Redis's INFO replies read as fields. The JDK only. */
package io.biu.kit.info;
