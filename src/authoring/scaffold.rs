//! `firstline new scenario ID`: writes a commented starting scenario, a knowledge-base
//! stub and an expert play-test stub into a pack. All three pass `firstline validate`,
//! `firstline test` and `firstline lint` as written, so an author starts from green and
//! changes one thing at a time.

use std::path::{Path, PathBuf};

/// The starting points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Template {
    /// A locked account: verify the caller, unlock, confirm.
    #[default]
    Password,
    /// A laptop with a hand-set public DNS server cannot reach the intranet.
    Network,
    /// The print spooler on the print server has stopped.
    Printer,
    /// A user locked in a business application modelled as a custom system (also writes
    /// `systems/ID.ron`, the application's kind with its tool and fix).
    CustomSystem,
}

/// Why scaffolding failed.
#[derive(Debug)]
pub enum ScaffoldError {
    /// Bad id, or the files exist already (exit code 1).
    Invalid(String),
    /// Could not write (exit code 2).
    Io(String),
}

fn valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Writes the three files; returns their paths.
pub fn new_scenario(pack: &Path, id: &str, t: Template) -> Result<Vec<PathBuf>, ScaffoldError> {
    if !valid_id(id) {
        return Err(ScaffoldError::Invalid(format!(
            "`{id}` is not a valid scenario id; use 1–64 lower-case letters, digits, `-` or `_`"
        )));
    }
    let scenario = pack.join(format!("{id}.ron"));
    let article = pack.join("kb").join(format!("{id}.md"));
    let playtest = pack.join("playtests").join(format!("{id}-expert.ron"));
    let system = pack.join("systems").join(format!("{id}.ron"));
    let with_system = t == Template::CustomSystem;
    let mut targets = vec![&scenario, &article, &playtest];
    if with_system {
        targets.push(&system);
    }
    for p in targets.iter().copied() {
        if std::fs::symlink_metadata(p).is_ok() {
            return Err(ScaffoldError::Invalid(format!(
                "{} already exists; choose another id or remove it",
                p.display()
            )));
        }
    }
    if let Ok((Some(p), _)) = crate::scenario::load::load_pack(pack)
        && p.scenario(id).is_some()
    {
        return Err(ScaffoldError::Invalid(format!(
            "the pack already has a scenario `{id}`"
        )));
    }
    let (s, a, p) = match t {
        Template::Password => (PASSWORD, PASSWORD_KB, PASSWORD_TEST),
        Template::Network => (NETWORK, NETWORK_KB, NETWORK_TEST),
        Template::Printer => (PRINTER, PRINTER_KB, PRINTER_TEST),
        Template::CustomSystem => (CUSTOM, CUSTOM_KB, CUSTOM_TEST),
    };
    // Command words: letters, digits and `_`, starting with a letter.
    let mut cmd: String = id.replace('-', "_").chars().take(28).collect();
    if !cmd.starts_with(|c: char| c.is_ascii_lowercase()) {
        cmd.insert_str(0, "app_");
    }
    let fill = |x: &str| x.replace("__ID__", id).replace("__CMD__", &cmd);
    let io = |p: &Path, e: std::io::Error| ScaffoldError::Io(format!("{}: {e}", p.display()));
    // Every file must land inside the pack: no write through a symlinked folder or file.
    for path in targets.iter().copied() {
        crate::scenario::files::check_inside(pack, path)
            .map_err(|m| ScaffoldError::Invalid(format!("{}: {m}", path.display())))?;
    }
    let mut dirs = vec![pack.join("kb"), pack.join("playtests")];
    if with_system {
        dirs.push(pack.join("systems"));
    }
    for dir in dirs {
        std::fs::create_dir_all(&dir).map_err(|e| io(&dir, e))?;
    }
    let mut written = vec![];
    let mut files = vec![(&scenario, s), (&article, a), (&playtest, p)];
    if with_system {
        files.push((&system, CUSTOM_SYSTEM));
    }
    for (path, text) in files {
        crate::scenario::files::create_in_pack(pack, path, &fill(text))
            .map_err(ScaffoldError::Io)?;
        written.push(path.clone());
    }
    Ok(written)
}

const PASSWORD: &str = r#"// __ID__: a starting scenario made by `firstline new scenario __ID__ --template password`.
// It validates, its play-test passes and lint is clean. Change one thing at a time and
// re-run:  firstline validate PACK && firstline test PACK && firstline lint PACK
// The format is documented in docs/authoring.md (sections 5 to 12).
Scenario(
    id: "__ID__",
    title: "Locked out on a Monday",
    summary: "A clerk is locked out of her account after a long weekend. Verify her, find out why and get her back in.",
    difficulty: Beginner,
    skills: [Security, Communication, Technical],
    channel: Phone,
    minutes: 8,          // what an expert needs, quoted in feedback
    sla_minutes: 30,     // the "Within the SLA" criterion
    customer: (
        names: ["Ana Lima"],          // the seeded RNG picks one per attempt
        role: "Accounts clerk",
        account: "alima",             // must be an account in `world`
        device: "LT-0301",            // tools and fixes default to this device
        tech_level: Novice,           // how jargon and teaching land
        mood: 45,                     // below 50 counts as upset: acknowledge it early
        patience: 70,
        traits: [],
    ),
    // The healthy environment; each variant's `changes` put the fault in.
    world: (
        devices: [
            (hostname: "LT-0301", owner: "alima",
             nics: [(name: "Ethernet", ip: "10.0.0.31", mask: "255.255.255.0", gateway: "10.0.0.1", dns: ["10.0.0.10"])]),
        ],
        accounts: [
            (username: "alima", display_name: "Ana Lima", title: "Accounts Clerk", department: "Finance",
             phone: "+44 20 7946 0301", employee_id: "NW-30301", groups: ["All-Staff"], licences: ["M365-E3"]),
        ],
        network: (dns_servers: [(ip: "10.0.0.10", name: "dc01.corp")]),
    ),
    // One cause to start with. Add more variants (and play-tests for them) later, e.g.:
    // (id: "expired", description: "her password expired over the weekend",
    //  changes: [Account(account: "alima", password_expired: true)]),
    variants: [
        (id: "locked", description: "Ana mistyped her password until the account locked",
         changes: [Account(account: "alima", locked: true, failed_logins: 5, lockout_source: "LT-0301")]),
    ],
    dialogue: (
        start: "opening",
        nodes: [
            (id: "opening",
             line: "Hi... I can't get into my laptop, it says my account is locked. I've got invoices to send this morning.",
             options: [
                (id: "greet_ack", text: "Good morning, I'm sorry you're locked out with invoices waiting. I'll take care of this with you.",
                 tags: [Greeting, AcknowledgeFeelings, TakeOwnership], goto: "verify"),
                (id: "greet_blame", text: "Did you type it wrong too many times?",
                 tags: [BlameUser], goto: "verify"),
             ]),
            (id: "verify",
             line: "Okay... what do you need from me?",
             options: [
                // Setting `identity_verified` is what the identity policy of unlock/reset checks.
                (id: "verify_id", text: "First I need to check it's really you: could you tell me your employee ID? Then I'll call you back on the number we hold.",
                 tags: [VerifyIdentity, SetExpectations, PlainLanguage],
                 effects: [Set("identity_verified")], goto: "working"),
             ]),
            (id: "working",
             line: "It's NW-30301. Thanks for ringing back.",
             options: [
                (id: "ask_screen", text: "What exactly does the screen say when you try to sign in?",
                 tags: [OpenQuestion],
                 reply: "It says the referenced account is currently locked out."),
                // A branch answers from the real state of the world, not from what the trainee claims.
                (id: "try_now", text: "Could you try signing in now, please?",
                 tags: [ConfirmResolution],
                 branches: [(when: AccountUsable("alima"), goto: "works")],
                 goto: "still_locked"),
             ]),
            (id: "still_locked",
             line: "No, it still says it's locked.",
             options: [
                (id: "sorry_check", text: "Sorry about that, let me look again. One moment, please stay with me.",
                 tags: [Apologise, SetExpectations], goto: "working"),
             ]),
            (id: "works",
             line: "It's letting me in! Thank you!",
             options: [
                (id: "teach", text: "Great. If it happens again, you can unlock it yourself at passwords.example, and I'll email you the guide.",
                 tags: [TeachUser, PlainLanguage], effects: [Set("customer_confirmed")], goto: "closing"),
             ]),
            (id: "closing",
             line: "That's brilliant. Anything else you need from me?",
             options: [
                (id: "close_polite", text: "No, that's everything. I'll note it on your ticket. Have a good day!",
                 tags: [PoliteClose], goto: "bye"),
             ]),
            (id: "bye", line: "Bye, thanks again!", end: true),
        ],
    ),
    questions: [
        (id: "q_when", text: "When did this start?", tags: [OpenQuestion],
         answer: "This morning, when I came back after the weekend."),
    ],
    tools: [Account],
    fixes: [UnlockAccount],
    kb: ["__ID__"],                // kb/__ID__.md
    diagnosis: [Account],          // running `account` before the fix earns "Diagnosed before fixing"
    teaching: true,                // adds the "Taught the user" criterion
    ticket: (category: Account, impact: Low, urgency: High),
    escalation: (mode: Never, why: "Unlocking a verified user's account is first-line work."),
    resolution: (
        condition: All([AccountUsable("alima"), Flag("customer_confirmed")]),
        description: "Ana's account is unlocked and she confirmed she can sign in",
    ),
    rubric: (
        facts: [
            (id: "symptom", label: "the symptom: could not sign in", phrasings: ["sign in", "log in", "locked out"]),
            (id: "verified", label: "how identity was verified", phrasings: ["verified", "employee id", "call-back", "called her back"]),
            (id: "action", label: "what was done", phrasings: ["unlocked"]),
            (id: "outcome", label: "the outcome, confirmed with the user", phrasings: ["confirmed"]),
        ],
    ),
    hints: [
        (text: "Verify who you are talking to before you touch the account.", when: Not(Flag("identity_verified"))),
        (text: "`account alima` shows whether the account is locked and where the bad passwords came from."),
    ],
)
"#;

const PASSWORD_KB: &str = "# Locked accounts: verify, unlock, confirm
tags: locked, account, unlock, password, sign in

1. Verify the caller: employee ID and a call-back to the number on file.
2. Run `account USER`: locked, failed sign-ins and where they came from.
3. Unlock the account and ask the user to sign in while you are on the line.
4. Point them to self-service unlock for next time.
";

const PASSWORD_TEST: &str = r#"// Expert path for __ID__ (seed 1 plays the only variant, `locked`).
Playtest(
    scenario: "__ID__",
    name: "expert: acknowledge, verify, diagnose, unlock, confirm, teach",
    seed: 1,
    expert: true,
    actions: [
        Say("greet_ack"),
        Say("verify_id"),
        Say("ask_screen"),
        Run("account alima"),
        Fix("unlock_account alima"),
        Say("try_now"),
        Say("teach"),
        Ticket(category: Account, impact: Low, urgency: High),
        Notes("Symptom: Ana Lima could not sign in to her laptop; it said she was locked out.\nDiagnosis: I verified her with her employee ID and called her back on the number on file. The account lookup showed the account was locked after five failed sign-ins from LT-0301.\nCause: She mistyped her password several times after the weekend.\nActions: I unlocked the account and sent her the self-service unlock guide.\nOutcome: Ana confirmed she can sign in again."),
        Say("close_polite"),
        Resolve("Account unlocked after identity verification; the user confirmed she can sign in."),
    ],
    expect: (variant: "locked", resolved: true, passed: true, critical: false, overall: (90, 100)),
)
"#;

const NETWORK: &str = r#"// __ID__: a starting scenario made by `firstline new scenario __ID__ --template network`.
// It validates, its play-test passes and lint is clean. Change one thing at a time and
// re-run:  firstline validate PACK && firstline test PACK && firstline lint PACK
// The format is documented in docs/authoring.md (sections 5 to 12).
Scenario(
    id: "__ID__",
    title: "The intranet won't load",
    summary: "A planner's laptop reaches the internet but not the intranet. Find out why and put it right.",
    difficulty: Intermediate,
    skills: [Troubleshooting, Technical, Communication],
    channel: Chat,
    minutes: 10,
    sla_minutes: 40,
    customer: (
        names: ["Sam Okoro"],
        role: "Transport planner",
        account: "sokoro",
        device: "LT-0402",
        tech_level: Intermediate,
        mood: 55,
        patience: 70,
    ),
    world: (
        devices: [
            (hostname: "LT-0402", owner: "sokoro",
             nics: [(name: "Wi-Fi", kind: WiFi, ip: "10.0.0.142", mask: "255.255.255.0", gateway: "10.0.0.1", dns: ["10.0.0.10"])]),
        ],
        accounts: [
            (username: "sokoro", display_name: "Sam Okoro", title: "Transport Planner", department: "Operations",
             phone: "+44 20 7946 0402", employee_id: "NW-40402"),
        ],
        network: (
            dns_servers: [
                (ip: "10.0.0.10", name: "dc01.corp"),
                // A public resolver does not know internal names.
                (ip: "8.8.8.8", name: "dns.google", internal: false),
            ],
            hosts: [
                (name: "intranet.corp", ip: "10.0.0.20"),
                (name: "www.example.com", ip: "93.184.216.34", external: true),
            ],
        ),
    ),
    variants: [
        // Setting `dns` by hand marks it static, so a DHCP renewal keeps it.
        (id: "static-dns", description: "someone set the laptop's DNS server by hand to a public resolver, which cannot resolve internal names",
         changes: [Nic(device: "LT-0402", nic: "Wi-Fi", dns: ["8.8.8.8"])]),
    ],
    dialogue: (
        start: "opening",
        nodes: [
            (id: "opening",
             line: "Hi, the intranet won't load on my laptop, but normal websites are fine. I need the rota page.",
             options: [
                (id: "greet", text: "Hi Sam, thanks for the details. I'll look into it now; it should only take a few minutes.",
                 tags: [Greeting, TakeOwnership, SetExpectations], goto: "probe"),
                (id: "greet_jargon", text: "Sounds like your resolver is borked. Flush your DNS cache.",
                 tags: [Jargon, Dismissive], goto: "probe"),
             ]),
            (id: "probe",
             line: "Okay. What do you need from me?",
             options: [
                (id: "ask_change", text: "Has anything changed on the laptop recently, any settings or software?",
                 tags: [OpenQuestion],
                 reply: "A friend helped me speed up my home Wi-Fi last week and changed some network setting."),
                (id: "try_now", text: "Could you try opening the intranet now?",
                 tags: [ConfirmResolution],
                 branches: [(when: Reaches("LT-0402", "intranet.corp"), goto: "works")],
                 goto: "still_broken"),
             ]),
            (id: "still_broken",
             line: "No, still 'site can't be reached'.",
             options: [
                (id: "sorry", text: "Sorry, let me keep looking. Bear with me a minute.",
                 tags: [Apologise, SetExpectations], goto: "probe"),
             ]),
            (id: "works",
             line: "It's loading now, thanks!",
             options: [
                (id: "teach", text: "Great. The DNS setting your friend changed only knows public sites, so I set it back to automatic. If you change network settings again, leave DNS on automatic.",
                 tags: [TeachUser, PlainLanguage], effects: [Set("customer_confirmed")], goto: "closing"),
             ]),
            (id: "closing",
             line: "Good to know. Thanks again!",
             options: [
                (id: "close_polite", text: "You're welcome, Sam. Have a good day!", tags: [PoliteClose], goto: "bye"),
             ]),
            (id: "bye", line: "Bye!", end: true),
        ],
    ),
    tools: [Ipconfig, Nslookup],
    fixes: [SetDns],
    kb: ["__ID__"],
    diagnosis: [Ipconfig, Nslookup],
    teaching: true,
    ticket: (category: Network, impact: Low, urgency: Medium),
    escalation: (mode: Never, why: "One laptop with a hand-set DNS server is a first-line fix."),
    resolution: (
        condition: All([Reaches("LT-0402", "intranet.corp"), Flag("customer_confirmed")]),
        description: "the laptop resolves and reaches intranet.corp again and Sam confirmed it loads",
    ),
    rubric: (
        facts: [
            (id: "symptom", label: "the symptom: the intranet does not load", phrasings: ["intranet"]),
            (id: "cause", label: "the cause: DNS set by hand to a public server", phrasings: ["8.8.8.8", "public dns", "dns server"]),
            (id: "action", label: "what was done", phrasings: ["automatic", "set_dns"]),
            (id: "outcome", label: "the outcome", phrasings: ["confirmed"]),
        ],
    ),
    hints: [
        (text: "`ipconfig` shows which DNS servers the laptop uses; `nslookup intranet.corp` shows whether they know the intranet."),
    ],
)
"#;

const NETWORK_KB: &str = "# Intranet not loading, internet fine
tags: intranet, dns, network, nslookup

If internal sites fail while public ones work, check the DNS servers with `ipconfig`.
A public resolver (8.8.8.8) cannot resolve internal names: set DNS back to automatic.
";

const NETWORK_TEST: &str = r#"// Expert path for __ID__ (seed 1 plays the only variant, `static-dns`).
Playtest(
    scenario: "__ID__",
    name: "expert: ask what changed, diagnose DNS, set it back to automatic, teach",
    seed: 1,
    expert: true,
    actions: [
        Say("greet"),
        Say("ask_change"),
        Run("ipconfig LT-0402"),
        Run("nslookup intranet.corp LT-0402"),
        Fix("set_dns LT-0402 auto"),
        Say("try_now"),
        Say("teach"),
        Ticket(category: Network, impact: Low, urgency: Medium),
        Notes("Symptom: Sam Okoro reported that the intranet would not load on LT-0402, while public websites worked.\nDiagnosis: I checked ipconfig and found the DNS server was set by hand to 8.8.8.8, and nslookup could not find intranet.corp.\nCause: A public DNS server cannot resolve internal names.\nActions: I set the DNS back to automatic.\nOutcome: Sam confirmed the intranet loads again."),
        Say("close_polite"),
        Resolve("DNS set back to automatic; the user confirmed the intranet loads."),
    ],
    expect: (variant: "static-dns", resolved: true, passed: true, critical: false, overall: (90, 100)),
)
"#;

const PRINTER: &str = r#"// __ID__: a starting scenario made by `firstline new scenario __ID__ --template printer`.
// It validates, its play-test passes and lint is clean. Change one thing at a time and
// re-run:  firstline validate PACK && firstline test PACK && firstline lint PACK
// The format is documented in docs/authoring.md (sections 5 to 12).
Scenario(
    id: "__ID__",
    title: "Nothing prints on the second floor",
    summary: "Jobs sit in the queue and nothing comes out of the office printer. Find the cause on the print server and fix it.",
    difficulty: Beginner,
    skills: [Troubleshooting, Technical, Communication],
    channel: Phone,
    minutes: 8,
    sla_minutes: 30,
    customer: (
        names: ["Lee Park"],
        role: "Office coordinator",
        account: "lpark",
        device: "PC-0503",
        tech_level: Novice,
        mood: 50,
        patience: 70,
    ),
    world: (
        devices: [
            (hostname: "PC-0503", kind: Desktop, owner: "lpark", printers: ["PRN-2F"],
             nics: [(name: "Ethernet", ip: "10.0.0.53", mask: "255.255.255.0", gateway: "10.0.0.1", dns: ["10.0.0.10"])]),
            // The print server: its `Spooler` must run for the printer to print.
            (hostname: "PRN-SRV01", kind: Server,
             nics: [(name: "Ethernet", ip: "10.0.0.40", mask: "255.255.255.0", gateway: "10.0.0.1", dns: ["10.0.0.10"])],
             services: [(name: "Spooler", display: "Print Spooler")]),
        ],
        accounts: [
            (username: "lpark", display_name: "Lee Park", title: "Office Coordinator", department: "Facilities",
             phone: "+44 20 7946 0503", employee_id: "NW-50503"),
        ],
        network: (dns_servers: [(ip: "10.0.0.10", name: "dc01.corp")]),
        printers: [
            (id: "PRN-2F", name: "Second floor MFP", location: "2F by the kitchen", server: "PRN-SRV01",
             queue: [(id: 41, owner: "lpark", document: "Meeting agenda.docx", pages: 2)]),
        ],
    ),
    variants: [
        (id: "spooler", description: "the Print Spooler service on the print server stopped overnight",
         changes: [Service(device: "PRN-SRV01", service: "Spooler", status: Stopped)]),
    ],
    dialogue: (
        start: "opening",
        nodes: [
            (id: "opening",
             line: "Hi, nothing is printing on the second floor. My agenda just sits in the queue and the meeting starts soon.",
             options: [
                (id: "greet", text: "Hi Lee, I'll take care of it. Give me a couple of minutes to look at the printer.",
                 tags: [Greeting, TakeOwnership, SetExpectations], goto: "probe"),
                (id: "greet_blame", text: "Have you tried turning it off and on again?",
                 tags: [Dismissive], goto: "probe"),
             ]),
            (id: "probe",
             line: "Okay, I'm here.",
             options: [
                (id: "ask_others", text: "Is anyone else on the floor having the same problem?",
                 tags: [ClosedQuestion],
                 reply: "Yes, nobody's print has come out since this morning."),
                (id: "try_now", text: "Could you try printing again now?",
                 tags: [ConfirmResolution],
                 branches: [(when: PrinterPrinting("PRN-2F"), goto: "works")],
                 goto: "still_broken"),
             ]),
            (id: "still_broken",
             line: "No, still nothing.",
             options: [
                (id: "sorry", text: "Sorry about that, let me look again. One moment please.",
                 tags: [Apologise, SetExpectations], goto: "probe"),
             ]),
            (id: "works",
             line: "It's printing! Thank you!",
             options: [
                (id: "confirm", text: "Great, glad it's working. Is your agenda out too?",
                 tags: [ConfirmResolution], effects: [Set("customer_confirmed")], goto: "closing"),
             ]),
            (id: "closing",
             line: "Yes, all of it. Thanks!",
             options: [
                (id: "close_polite", text: "You're welcome, Lee. Good luck with the meeting!", tags: [PoliteClose], goto: "bye"),
             ]),
            (id: "bye", line: "Bye!", end: true),
        ],
    ),
    tools: [PrintQueue, Services],
    fixes: [RestartService, ClearQueue],
    kb: ["__ID__"],
    diagnosis: [PrintQueue, Services],
    ticket: (category: Printing, impact: Medium, urgency: High),
    escalation: (mode: Never, why: "Restarting a stopped spooler is first-line work."),
    resolution: (
        condition: All([PrinterPrinting("PRN-2F"), Flag("customer_confirmed")]),
        description: "the second-floor printer prints again and Lee confirmed her agenda came out",
    ),
    rubric: (
        facts: [
            (id: "symptom", label: "the symptom: nothing prints", phrasings: ["nothing prints", "not printing", "nothing was printing"]),
            (id: "cause", label: "the cause: the spooler stopped", phrasings: ["spooler"]),
            (id: "action", label: "what was done", phrasings: ["restarted"]),
            (id: "outcome", label: "the outcome", phrasings: ["confirmed"]),
        ],
    ),
    hints: [
        (text: "`printq PRN-2F` shows the printer and its queue; `services PRN-SRV01` shows the print server's services."),
    ],
)
"#;

const PRINTER_KB: &str = "# Nothing prints: check the spooler
tags: printer, printing, spooler, queue

If jobs wait in the queue and nothing prints, run `printq PRINTER`, then
`services SERVER` on its print server. Restart a stopped Print Spooler.
Do not clear the whole queue: other people's jobs would be lost.
";

const PRINTER_TEST: &str = r#"// Expert path for __ID__ (seed 1 plays the only variant, `spooler`).
Playtest(
    scenario: "__ID__",
    name: "expert: check the queue and the server, restart the spooler, confirm",
    seed: 1,
    expert: true,
    actions: [
        Say("greet"),
        Say("ask_others"),
        Run("printq PRN-2F"),
        Run("services PRN-SRV01"),
        Fix("restart_service PRN-SRV01 Spooler"),
        Say("try_now"),
        Say("confirm"),
        Ticket(category: Printing, impact: Medium, urgency: High),
        Notes("Symptom: Lee Park reported that nothing was printing on the second-floor printer PRN-2F.\nDiagnosis: I checked the queue and the services on PRN-SRV01 and found the Print Spooler was stopped.\nCause: The spooler on the print server stopped overnight.\nActions: I restarted the Print Spooler service.\nOutcome: Lee confirmed her agenda printed."),
        Say("close_polite"),
        Resolve("Print Spooler restarted on PRN-SRV01; the user confirmed printing works."),
    ],
    expect: (variant: "spooler", resolved: true, passed: true, critical: false, overall: (90, 100)),
)
"#;

const CUSTOM_SYSTEM: &str = r#"// __ID__: a business application modelled as a custom system (docs/authoring.md §20),
// made by `firstline new scenario __ID__ --template custom-system`. Add attributes,
// collections, tools and fixes as your application needs them.
System(
    kind: "__ID__",
    title: "time-sheet application",
    attributes: {"version": Text},
    collections: {
        "users": Collection(key: "login", fields: {
            "login": Text,
            "account": Account,                       // a username of the scenario's world
            "status": Enum(["active", "locked"]),
            "failed_logins": Int,
        }),
    },
    tools: [
        // `__CMD___user LOGIN`: output computed from the record (templates and rules).
        Tool(command: "__CMD___user", summary: "a user of the time-sheet application", record: Some("users"),
             output: [
                Line("{system} {version} — user {login} ({account})"),
                Line("Status: {status}, failed sign-ins: {failed_logins}"),
                When(check: Field("status", Is("locked")), then: [Line("The account is locked after too many failed sign-ins.")]),
             ]),
    ],
    fixes: [
        // Identity is checked for the record's `account` (a `Verify`/identity_verified effect).
        Fix(command: "__CMD___unlock", summary: "unlock a user of the time-sheet application", record: Some("users"),
            policy: Identity, subject: "account", security: true,
            patch: [SetField("status", Val("active")), SetField("failed_logins", Val(0))],
            message: "{login} is unlocked in {system}."),
    ],
)
"#;

const CUSTOM: &str = r#"// __ID__: a starting scenario made by `firstline new scenario __ID__ --template custom-system`.
// It uses the custom system in systems/__ID__.ron. It validates, its play-test passes and
// lint is clean. The format: docs/authoring.md (§20 for custom systems).
Scenario(
    id: "__ID__",
    title: "Locked out of the time sheets",
    summary: "A site supervisor can't get into the time-sheet application before the weekly cut-off. Verify him, find out why and get him back in.",
    difficulty: Beginner,
    skills: [Security, Communication, Technical],
    channel: Phone,
    minutes: 8,
    sla_minutes: 30,
    customer: (
        names: ["Theo Marsh"],
        role: "Site supervisor",
        account: "tmarsh",
        tech_level: Novice,
        mood: 50,
        patience: 70,
        traits: [],
    ),
    world: (
        accounts: [
            (username: "tmarsh", display_name: "Theo Marsh", title: "Site Supervisor", department: "Operations",
             phone: "+44 20 7946 0444", employee_id: "NW-40444", groups: ["All-Staff"]),
        ],
        // An instance of the custom system, healthy; the variant below puts the fault in.
        systems: [
            (kind: "__ID__", name: "timesheets",
             attributes: {"version": "4.1"},
             records: {"users": [
                {"login": "tmarsh", "account": "tmarsh", "status": "active", "failed_logins": 0},
             ]}),
        ],
    ),
    variants: [
        (id: "locked", description: "Theo mistyped his time-sheet password until the application locked him out",
         changes: [
            System(system: "timesheets", edit: SetField(of: "users", key: "tmarsh", field: "status", value: "locked")),
            System(system: "timesheets", edit: SetField(of: "users", key: "tmarsh", field: "failed_logins", value: 5)),
         ]),
    ],
    dialogue: (
        start: "opening",
        nodes: [
            (id: "opening",
             line: "Hi, Theo Marsh from the depot. The time-sheet system says I'm locked out and the crew's hours are due by noon.",
             options: [
                (id: "greet_ack", text: "Hi Theo, I'm sorry you're stuck with a deadline. I'll sort this out with you.",
                 tags: [Greeting, AcknowledgeFeelings, TakeOwnership], goto: "verify"),
             ]),
            (id: "verify",
             line: "Great. What do you need?",
             options: [
                (id: "verify_id", text: "First I need to check it's really you: your employee ID, please, and I'll call you back on the number we hold.",
                 tags: [VerifyIdentity, SetExpectations, PlainLanguage],
                 effects: [Verify("tmarsh")], goto: "working"),
             ]),
            (id: "working",
             line: "It's NW-40444. Thanks for calling back.",
             options: [
                (id: "ask_screen", text: "What exactly does the time-sheet screen say?",
                 tags: [OpenQuestion],
                 reply: "It says 'Your account is locked. Contact your administrator.'"),
                (id: "try_now", text: "Could you try signing in to the time sheets now?",
                 tags: [ConfirmResolution],
                 branches: [(when: System("timesheets", Record(of: "users", key: "tmarsh", check: Field("status", Is("active")))), goto: "works")],
                 goto: "still_locked"),
             ]),
            (id: "still_locked",
             line: "Still says locked.",
             options: [
                (id: "sorry_check", text: "Sorry, let me look again.", tags: [Apologise], goto: "working"),
             ]),
            (id: "works",
             line: "I'm in! Thanks!",
             options: [
                (id: "confirm", text: "Great — can you see the crew's hours?",
                 tags: [ConfirmResolution], effects: [Set("customer_confirmed")], goto: "closing"),
             ]),
            (id: "closing",
             line: "Yes, all there. Anything else?",
             options: [
                (id: "close_polite", text: "No, that's everything. I'll note it on your ticket. Have a good day!",
                 tags: [PoliteClose], goto: "bye"),
             ]),
            (id: "bye", line: "Cheers, bye!", end: true),
        ],
    ),
    tools: [Custom("__CMD___user")],
    fixes: [Custom("__CMD___unlock")],
    kb: ["__ID__"],
    diagnosis: [Custom("__CMD___user")],
    ticket: (category: Access, impact: Low, urgency: High),
    escalation: (mode: Never, why: "Unlocking a verified user in the application is first-line work."),
    resolution: (
        condition: All([System("timesheets", Record(of: "users", key: "tmarsh", check: Field("status", Is("active")))), Flag("customer_confirmed")]),
        description: "Theo's time-sheet user is unlocked and he confirmed he can sign in",
    ),
    rubric: (
        facts: [
            (id: "symptom", label: "the symptom: locked out of the time sheets", phrasings: ["locked out", "could not sign in"]),
            (id: "verified", label: "how identity was verified", phrasings: ["verified", "employee id", "called him back"]),
            (id: "action", label: "what was done", phrasings: ["unlocked"]),
            (id: "outcome", label: "the outcome, confirmed with the user", phrasings: ["confirmed"]),
        ],
    ),
    hints: [
        (text: "`__CMD___user tmarsh` shows his status in the time-sheet application."),
    ],
)
"#;

const CUSTOM_KB: &str = "# Time-sheet application: locked users
tags: time sheets, locked, application, unlock

1. Verify the caller: employee ID and a call-back to the number on file.
2. Look the user up in the application (not the directory): status and failed sign-ins.
3. Unlock them in the application and ask them to sign in while you are on the line.
";

const CUSTOM_TEST: &str = r#"// Expert path for __ID__ (seed 1 plays the only variant, `locked`).
Playtest(
    scenario: "__ID__",
    name: "expert: verify, look the user up in the application, unlock, confirm",
    seed: 1,
    expert: true,
    actions: [
        Say("greet_ack"),
        Say("verify_id"),
        Say("ask_screen"),
        Run("__CMD___user tmarsh"),
        Fix("__CMD___unlock tmarsh"),
        Say("try_now"),
        Say("confirm"),
        Ticket(category: Access, impact: Low, urgency: High),
        Notes("Symptom: Theo Marsh was locked out of the time-sheet application before the noon cut-off.\nDiagnosis: I verified him with his employee ID and called him back on the number on file. The application showed his user locked after five failed sign-ins.\nActions: I unlocked his user in the time-sheet application.\nOutcome: Theo confirmed he can sign in and see the crew's hours."),
        Say("close_polite"),
        Resolve("Time-sheet user unlocked after identity verification; the user confirmed he can sign in."),
    ],
    expect: (variant: "locked", resolved: true, passed: true, critical: false, overall: (90, 100)),
)
"#;
