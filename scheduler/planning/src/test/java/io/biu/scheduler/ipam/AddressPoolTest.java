package io.biu.scheduler.ipam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressPoolTest {

    private static long ip(String dotted) {
        return Ipv4.parse(dotted);
    }

    private static List<String> dotted(List<Long> addresses) {
        return addresses.stream().map(Ipv4::format).toList();
    }

    private final AddressPool lab = new AddressPool(Ipv4Subnet.parse("10.64.128.0/17"), ip("10.64.128.1"), null,
            Set.of(ip("10.64.255.254")));

    @Test
    void handsOutAddressesAfterTheCursorSkippingGatewayUsedAndExcluded() {
        AddressPool.Allocation first = lab.allocate(Set.of(ip("10.64.128.3")), ip("10.64.128.0"), 3);
        assertEquals(List.of("10.64.128.2", "10.64.128.4", "10.64.128.5"), dotted(first.addresses()));
        assertEquals(ip("10.64.128.5"), first.cursor());
    }

    @Test
    void aReleasedAddressIsTheLastToBeHandedOutAgain() {
        AddressPool small = new AddressPool(Ipv4Subnet.parse("10.0.0.0/29"), ip("10.0.0.1"), null, Set.of());
        Set<Long> used = new HashSet<>();
        long cursor = 0;
        AddressPool.Allocation a = small.allocate(used, cursor, 2);
        used.addAll(a.addresses());
        assertEquals(List.of("10.0.0.2", "10.0.0.3"), dotted(a.addresses()));
        used.remove(ip("10.0.0.2"));
        AddressPool.Allocation b = small.allocate(used, a.cursor(), 4);
        assertEquals(List.of("10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.2"), dotted(b.addresses()),
                "10.0.0.2 was released, so it comes after every never-used address");
    }

    @Test
    void exhaustionSaysHowManyAreFreeAndHowManyWereNeeded() {
        AddressPool tiny = new AddressPool(Ipv4Subnet.parse("10.0.0.0/29"), ip("10.0.0.1"), null,
                Set.of(ip("10.0.0.6")));
        assertEquals(4, tiny.size(), ".2 to .5; .0 network, .1 gateway, .6 excluded, .7 broadcast");
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> tiny.allocate(Set.of(ip("10.0.0.2"), ip("10.0.0.3")), 0, 3));
        assertEquals(SchedulerError.SUBNET_EXHAUSTED, e.error());
        assertTrue(e.getMessage().contains("has 2 free addresses, 3 needed"), e.getMessage());
        assertEquals(2, tiny.allocate(Set.of(ip("10.0.0.2"), ip("10.0.0.3")), 0, 2).addresses().size());
    }

    @Test
    void aRangeLimitsAllocationToPartOfTheSubnet() {
        AddressPool ranged = new AddressPool(Ipv4Subnet.parse("10.64.128.0/17"), ip("10.64.128.1"),
                Ipv4Subnet.parse("10.64.200.0/30"), Set.of());
        assertEquals(4, ranged.size());
        assertEquals(List.of("10.64.200.0", "10.64.200.1", "10.64.200.2", "10.64.200.3"),
                dotted(ranged.allocate(Set.of(), 0, 4).addresses()));
        assertThrows(SchedulerException.class, () -> ranged.allocate(Set.of(), 0, 5));
    }

    @ParameterizedTest
    @CsvSource({
        "10.64.128.1/17, did you mean 10.64.128.0/17?",
        "10.64.128.0,    not a subnet in CIDR form",
        "10.64.128.0/33, prefix /33 is not an IPv4 prefix",
        "10.64.300.0/24, not an IPv4 address",
        "10.64.128.0/x,  no valid prefix length",
    })
    void badSubnetsAreRefusedWithWhatToFix(String cidr, String message) {
        SchedulerException e = assertThrows(SchedulerException.class, () -> Ipv4Subnet.parse(cidr));
        assertEquals(SchedulerError.INVALID_SUBNET, e.error());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void podSubnetsAreBetweenASlashEightAndASlashTwentyNine() {
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> new AddressPool(Ipv4Subnet.parse("10.0.0.0/30"), ip("10.0.0.1"), null, Set.of()));
        assertTrue(e.getMessage().contains("a pod subnet of /30 is not supported: use /8 to /29"), e.getMessage());
    }

    @Test
    void aGatewayOutsideTheSubnetIsRefused() {
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> new AddressPool(Ipv4Subnet.parse("10.0.0.0/24"), ip("10.0.1.1"), null, Set.of()));
        assertTrue(e.getMessage().contains("gateway 10.0.1.1 is not a host address of 10.0.0.0/24"), e.getMessage());
    }

    @Test
    void addressesAboveTwoToTheThirtyOneWork() {
        AddressPool pool = new AddressPool(Ipv4Subnet.parse("192.168.1.0/24"), ip("192.168.1.1"), null, Set.of());
        assertEquals(List.of("192.168.1.254"), dotted(pool.allocate(Set.of(), ip("192.168.1.253"), 1).addresses()));
        assertEquals(253, pool.size());
    }
}
