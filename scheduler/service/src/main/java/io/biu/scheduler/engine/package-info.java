/** The Docker engines of nodes, behind the {@link io.biu.scheduler.engine.Engine} interface. */
package io.biu.scheduler.engine;
