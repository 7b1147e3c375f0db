/** proxy-admin's API (endpoints) as its callers compile against it. */
package io.biu.admin.client;
