//! A small office world for unit tests.

use super::state::*;

/// One laptop on the office LAN, a print server and printer, one user, intranet + public site.
pub fn office() -> World {
    let src = r#"(
        devices: [
            (hostname: "LT-1", owner: "jdoe",
             nics: [(name: "Ethernet", ip: "10.0.0.50", mask: "255.255.255.0", gateway: "10.0.0.1", dns: ["10.0.0.10"])],
             services: [(name: "Dhcp", display: "DHCP Client"), (name: "Spooler", display: "Print Spooler")],
             processes: [(name: "outlook.exe", cpu: 3, memory_mb: 300)],
             disks: [(name: "C:", size_gb: 256, free_gb: 2, cache_gb: 40)],
             installed: [(name: "Office", version: "16")],
             vpn: (connected: false)),
            (hostname: "PRN-SRV01", kind: Server, services: [(name: "Spooler")],
             nics: [(name: "Ethernet", dhcp: false, ip: "10.0.0.20", mask: "255.255.255.0", gateway: "10.0.0.1", dns: ["10.0.0.10"])]),
        ],
        accounts: [(username: "jdoe", display_name: "Jo Doe", phone: "+1 555 0100")],
        network: (
            dns_servers: [(ip: "10.0.0.10", name: "dc01.corp"), (ip: "8.8.8.8", name: "dns.google", internal: false)],
            hosts: [(name: "intranet.corp", ip: "10.0.1.5"), (name: "example.com", ip: "93.184.216.34", external: true)],
        ),
        printers: [(id: "PRN-2F", name: "2nd floor MFP", server: "PRN-SRV01",
                    queue: [(id: 7, owner: "amoss", document: "Q3.xlsx"), (id: 8, owner: "jdoe", document: "Contract.pdf")])],
        mailboxes: [(address: "jdoe@corp", owner: "jdoe", quota_mb: 1000, used_mb: 1000, archive: true)],
        catalogue: [(name: "7-Zip", approved: true), (name: "Wireshark", approved: false)],
    )"#;
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(src)
        .expect("fixture world parses")
}
