/** The event bus as Biu's services reach it: each as a user of its own, with the rights its work needs. */
package io.biu.kit.bus;
