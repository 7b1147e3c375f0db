/** How every Biu service answers errors over HTTP: its own, and those the framework answers itself. */
package io.biu.kit.http;
