/** Text from requests, read and quoted back within bounds: byte sizes, brief quotes. The JDK only. */
package io.biu.kit.text;
