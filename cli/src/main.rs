//! `aduan`: Aduan's core on the command line, for field testing and demos. It drives the same
//! `AduanStore` object the apps use, on a store folder of its own.

mod print;

use std::path::PathBuf;
use std::process::ExitCode;

use aduan_core::api::ffi::AduanStore;
use aduan_core::api::records::*;
use aduan_core::error::AduanError;
use aduan_core::model::channel::Channel;
use aduan_core::model::reporter::ReporterContact;
use aduan_core::types::{Identity, Language, Location, ReportKind, Role, Status};
use aduan_core::workflow::calendar::WorkingCalendar;
use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "aduan",
    version,
    about = "Aduan: public-service complaints that work offline (SP4N-LAPOR! workflow)",
    long_about = "Aduan keeps complaints in a local store folder and works with no network.\n\n\
        A first session:\n  \
        aduan --store ./hp-warga login --account warga1 --name \"Siti\" --role citizen\n  \
        aduan --store ./hp-warga file --category pu.drainase --title \"Selokan tersumbat\" \\\n      \
        --description \"Air meluap ke jalan setiap hujan\" --kelurahan Mangasa --photo selokan.jpg\n  \
        aduan --store ./hp-warga list --mine\n  \
        aduan --store ./hp-warga show ADU-XXXXX-XXXXX"
)]
struct Cli {
    /// The store folder (one per "phone").
    #[arg(
        long,
        short,
        env = "ADUAN_STORE",
        default_value = "./aduan-store",
        global = true
    )]
    store: PathBuf,
    /// Language of labels and messages.
    #[arg(
        long,
        value_enum,
        env = "ADUAN_LANG",
        default_value = "id",
        global = true
    )]
    lang: Lang,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// CA certificates (PEM) to trust besides the public ones: a deployment with its own CA.
    #[arg(long, env = "ADUAN_CA_CERT", global = true)]
    ca_cert: Option<PathBuf>,
    /// Development only: allow plain http:// to a server that is not this machine (tokens and
    /// complaints then cross the network unencrypted).
    #[arg(long, global = true)]
    allow_insecure_http: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Lang {
    Id,
    En,
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Pengaduan,
    Aspirasi,
    PermintaanInformasi,
}

#[derive(Clone, Copy, ValueEnum)]
enum ChannelArg {
    App,
    Web,
    Sms,
    CallCentre,
    Desk,
    Cadre,
    Bridged,
}

/// How a complaint arrived, and for whom it is filed.
#[derive(clap::Args, Default)]
struct FilingArgs {
    /// How the complaint arrived (default: the app; a cadre's own report: cadre; filed for a
    /// caller: call-centre).
    #[arg(long, value_enum)]
    channel: Option<ChannelArg>,
    /// For --channel bridged: the system it comes from (e.g. SP4N-LAPOR).
    #[arg(long)]
    bridged_system: Option<String>,
    /// For --channel bridged: its reference in that system.
    #[arg(long)]
    bridged_reference: Option<String>,
    /// An operator files for a caller who has no app (anonymous unless named below); read
    /// the printed tracking id back to the caller.
    #[arg(long)]
    on_behalf: bool,
    /// The caller's name (implies --on-behalf).
    #[arg(long)]
    on_behalf_name: Option<String>,
    /// The caller's phone number (implies --on-behalf).
    #[arg(long)]
    on_behalf_phone: Option<String>,
    /// The caller's email address (implies --on-behalf).
    #[arg(long)]
    on_behalf_email: Option<String>,
    /// Your own name, for the handling unit to call you back (your own named report).
    #[arg(long)]
    contact_name: Option<String>,
    /// Your own phone number, for the handling unit only.
    #[arg(long)]
    contact_phone: Option<String>,
    /// Your own email address, for the handling unit only.
    #[arg(long)]
    contact_email: Option<String>,
}

fn contact_of(
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
) -> Option<ReporterContact> {
    (name.is_some() || phone.is_some() || email.is_some()).then(|| ReporterContact {
        name: name.unwrap_or_default(),
        phone: phone.unwrap_or_default(),
        email: email.unwrap_or_default(),
    })
}

impl FilingArgs {
    fn channel(&self) -> Result<Option<Channel>, Failure> {
        let needs = || {
            Failure(
                current_language()
                    .pick(
                        "--channel bridged memerlukan --bridged-system dan --bridged-reference",
                        "--channel bridged needs --bridged-system and --bridged-reference",
                    )
                    .into(),
            )
        };
        self.channel
            .map(|c| match c {
                ChannelArg::App => Ok(Channel::App),
                ChannelArg::Web => Ok(Channel::Web),
                ChannelArg::Sms => Ok(Channel::Sms),
                ChannelArg::CallCentre => Ok(Channel::CallCentre),
                ChannelArg::Desk => Ok(Channel::Desk),
                ChannelArg::Cadre => Ok(Channel::Cadre),
                ChannelArg::Bridged => match (&self.bridged_system, &self.bridged_reference) {
                    (Some(system), Some(reference)) => Ok(Channel::Bridged {
                        system: system.clone(),
                        reference: reference.clone(),
                    }),
                    _ => Err(needs()),
                },
            })
            .transpose()
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SortArg {
    Due,
    Updated,
    Newest,
    Oldest,
}

#[derive(Clone, Copy, ValueEnum)]
enum ActionArg {
    Dispatch,
    Assign,
    NotOurAuthority,
    Defer,
    Resume,
    Archive,
    Merge,
    SetFlags,
    Start,
    FollowUp,
    Close,
    Reopen,
}

#[derive(clap::Args, Default)]
struct LocationArgs {
    #[arg(long, allow_hyphen_values = true)]
    lat: Option<f64>,
    #[arg(long, allow_hyphen_values = true)]
    lon: Option<f64>,
    /// Positioning accuracy in metres.
    #[arg(long)]
    accuracy: Option<f64>,
    #[arg(long, default_value = "")]
    address: String,
    #[arg(long, default_value = "")]
    kelurahan: String,
    #[arg(long, default_value = "")]
    kecamatan: String,
    #[arg(long, default_value = "Kota Makassar")]
    city: String,
    #[arg(long, default_value = "Sulawesi Selatan")]
    province: String,
}

impl LocationArgs {
    fn location(&self) -> Location {
        Location {
            latitude: self.lat,
            longitude: self.lon,
            accuracy_m: self.accuracy,
            address: self.address.clone(),
            province: self.province.clone(),
            city: self.city.clone(),
            kecamatan: self.kecamatan.clone(),
            kelurahan: self.kelurahan.clone(),
            area: String::new(),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Sign in: to a server (--server, --account, --password), or, for offline demos without
    /// a server, as a local identity (--account, --name, --role).
    Login {
        #[arg(long)]
        account: String,
        /// The sync server, e.g. http://127.0.0.1:8787
        #[arg(long, env = "ADUAN_SERVER", requires = "password")]
        server: Option<String>,
        #[arg(long, env = "ADUAN_PASSWORD")]
        password: Option<String>,
        #[arg(long, required_unless_present = "server")]
        name: Option<String>,
        #[arg(long, value_parser = Role::parse_arg, required_unless_present = "server")]
        role: Option<Role>,
        /// Required for officers, institution administrators and cadres.
        #[arg(long)]
        institution: Option<String>,
        /// An officer bound to one unit.
        #[arg(long)]
        unit: Option<String>,
    },
    /// Continue as a citizen without an account: the server gives this phone one of its own.
    Anonymous {
        #[arg(long, env = "ADUAN_SERVER")]
        server: String,
    },
    /// Send what changed here and receive what is new (needs `login --server` first).
    Sync,
    /// Sync status: last success, what is waiting, the last error.
    Status,
    /// Work done here that the server refused, with the reasons.
    Refused,
    /// Show who uses this store.
    Whoami,
    /// Sign out and remove this account's data from the store (documents, photos, sync
    /// state, the session). Refused while work has not reached the server, unless --force.
    SignOut {
        /// Sign out even though unsynced work is lost.
        #[arg(long)]
        force: bool,
    },
    /// A report's public status by its tracking id, without an account.
    Track {
        tracking_id: String,
        #[arg(long, env = "ADUAN_SERVER")]
        server: String,
    },
    /// Public reports on a server, newest first, without an account.
    Public {
        #[arg(long, env = "ADUAN_SERVER")]
        server: String,
        /// A kelurahan, kecamatan, city or province.
        #[arg(long)]
        area: Option<String>,
        /// A category and everything below it.
        #[arg(long)]
        category: Option<String>,
        /// From 0.
        #[arg(long, default_value_t = 0)]
        page: u32,
    },
    /// File a new report.
    File {
        #[arg(long, value_enum, default_value = "pengaduan")]
        kind: KindArg,
        /// A category id (see `aduan categories`).
        #[arg(long)]
        category: String,
        #[arg(long)]
        title: String,
        #[arg(long)]
        description: String,
        #[command(flatten)]
        location: LocationArgs,
        /// Hide who reported from everyone handling it.
        #[arg(long)]
        anonymous: bool,
        /// Hide the report from the public: only you and the handling bodies see it.
        #[arg(long)]
        confidential: bool,
        /// Photos to attach (JPEG, PNG, WebP, GIF); metadata is stripped.
        #[arg(long = "photo")]
        photos: Vec<PathBuf>,
        #[command(flatten)]
        filing: Box<FilingArgs>,
    },
    /// The reporter's name and contact, where you may know them (you filed it, or you handle
    /// it at the institution that holds it); or give, or remove them on the reporter's request.
    Contact {
        id: String,
        /// Forget the reporter's contact details, here and on the server.
        #[arg(long, conflicts_with_all = ["name", "phone", "email"])]
        remove: bool,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// Change your own report before it reaches a unit.
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        anonymous: bool,
        #[arg(long)]
        confidential: bool,
    },
    /// Attach a photo to your own report.
    Photo { id: String, file: PathBuf },
    /// List reports (default: soonest deadline first).
    List {
        #[arg(long = "status", value_parser = parse_status)]
        statuses: Vec<Status>,
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// A category and everything below it.
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        institution: Option<String>,
        #[arg(long)]
        unit: Option<String>,
        #[arg(long)]
        mine: bool,
        #[arg(long)]
        overdue: bool,
        /// Words to find in title, description and address.
        #[arg(long)]
        text: Option<String>,
        /// LAT,LON,RADIUS_M
        #[arg(long, value_parser = parse_area, allow_hyphen_values = true)]
        near: Option<Area>,
        /// An area's Kemendagri code (73.71.10.1005): complaints about it or within it.
        #[arg(long)]
        area: Option<String>,
        #[arg(long, value_enum, default_value = "due")]
        sort: SortArg,
        #[arg(long, default_value_t = 50)]
        limit: u32,
        #[arg(long, default_value_t = 0)]
        offset: u32,
    },
    /// Full-text search.
    Search {
        text: String,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// A report with its timeline, deadline and what you can do.
    Show { id: String },
    /// Take a workflow step (officers and administrators).
    Act {
        id: String,
        #[arg(value_enum)]
        action: ActionArg,
        /// For dispatch.
        #[arg(long)]
        institution: Option<String>,
        /// For assign.
        #[arg(long)]
        unit: Option<String>,
        /// For assign: the complaint needs a field inspection (60 working days).
        #[arg(long)]
        field_inspection: bool,
        /// For merge: the id or tracking id of the report this one repeats.
        #[arg(long)]
        target: Option<String>,
        /// For set-flags.
        #[arg(long)]
        anonymous: bool,
        /// For set-flags.
        #[arg(long)]
        confidential: bool,
        #[arg(long, default_value = "")]
        note: String,
        /// Photo evidence (e.g. of the fix).
        #[arg(long = "photo")]
        photos: Vec<PathBuf>,
    },
    /// Reply on a report (as its reporter, or as a handler).
    Reply {
        id: String,
        text: String,
        #[arg(long = "photo")]
        photos: Vec<PathBuf>,
    },
    /// Rate the outcome of your report (1-5).
    Rate {
        id: String,
        stars: u8,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The category tree.
    Categories,
    /// Institutions and their units.
    Institutions,
    /// The figures bodies are judged by: with --from and --to, over every complaint on the
    /// server (dates YYYY-MM-DD, both included); without, over what this device holds.
    Figures {
        #[arg(long)]
        institution: Option<String>,
        #[arg(long)]
        from: Option<String>,
        #[arg(long)]
        to: Option<String>,
        /// institution, unit, area, category or channel
        #[arg(long)]
        by: Option<String>,
    },
    /// One report as JSON.
    Export {
        id: String,
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// What has not been synced yet.
    Pending,
    /// Fold document changes into snapshots.
    Compact {
        #[arg(long, default_value_t = 1000)]
        max: u32,
    },
    /// Verify every document and the database.
    Check,
    /// For demos and tests before the sync server: copy every document both ways between this
    /// store and another local store folder, as a sync would (no server-side checks).
    Exchange { other: PathBuf },
    /// Working-day calendar.
    Calendar {
        #[command(subcommand)]
        command: CalendarCommand,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// The date N working days after DATE (YYYY-MM-DD).
    Due {
        date: String,
        days: u32,
        /// An operator's extra holidays (CSV: date,kind,name_id,name_en).
        #[arg(long)]
        holidays: Option<PathBuf>,
    },
    /// Holidays and collective leave in YEAR.
    Holidays { year: i32 },
}

fn parse_status(s: &str) -> Result<Status, String> {
    Status::from_code(s).ok_or_else(|| {
        let all: Vec<&str> = Status::ALL.iter().map(|s| s.code()).collect();
        format!("unknown status; one of: {}", all.join(", "))
    })
}

fn parse_area(s: &str) -> Result<Area, String> {
    let parts: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| "expected LAT,LON,RADIUS_M".to_string())?;
    match parts[..] {
        [latitude, longitude, radius_m] => Ok(Area {
            latitude,
            longitude,
            radius_m,
        }),
        _ => Err("expected LAT,LON,RADIUS_M".into()),
    }
}

fn kind(k: KindArg) -> ReportKind {
    match k {
        KindArg::Pengaduan => ReportKind::Complaint,
        KindArg::Aspirasi => ReportKind::Aspiration,
        KindArg::PermintaanInformasi => ReportKind::InformationRequest,
    }
}

/// A failure the person can act on, already in their language.
struct Failure(String);

impl From<AduanError> for Failure {
    fn from(e: AduanError) -> Self {
        Failure(e.message(current_language()).to_string())
    }
}

static LANGUAGE: std::sync::OnceLock<Language> = std::sync::OnceLock::new();

fn current_language() -> Language {
    *LANGUAGE.get().unwrap_or(&Language::Id)
}

fn read_file(path: &PathBuf) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        Failure(format!(
            "{}: {}",
            current_language().pick("Tidak dapat membaca berkas", "Cannot read file"),
            e.kind()
        ))
        .with_path(path)
    })
}

impl Failure {
    fn with_path(self, path: &std::path::Path) -> Self {
        Failure(format!("{} ({})", self.0, path.display()))
    }
}

/// Imports every photo before anything is recorded, so a bad file fails the whole command.
fn import_photos(
    store: &AduanStore,
    files: &[PathBuf],
    out: &print::Printer,
) -> Result<Vec<String>, Failure> {
    let mut hashes = Vec::new();
    for file in files {
        let bytes = read_file(file)?;
        let added = store
            .import_photo(bytes)
            .map_err(|e| Failure::from(e).with_path(file))?;
        out.gps_suggestion(&added);
        hashes.push(added.photo.sha256);
    }
    Ok(hashes)
}

fn run(cli: Cli) -> Result<(), Failure> {
    let language = match cli.lang {
        Lang::Id => Language::Id,
        Lang::En => Language::En,
    };
    let _ = LANGUAGE.set(language);
    let out = print::Printer {
        json: cli.json,
        language,
    };
    if let Command::Calendar { command } = &cli.command {
        return calendar(command, &out);
    }
    let store = AduanStore::open(cli.store.to_string_lossy().into_owned())?;
    store.set_language(language);
    if let Some(path) = &cli.ca_cert {
        let pem = String::from_utf8(read_file(path)?).map_err(|_| {
            Failure::from(AduanError::InvalidInput {
                code: "invalid_input".into(),
                message_id: "Berkas sertifikat bukan PEM.".into(),
                message_en: "The certificate file is not PEM.".into(),
            })
            .with_path(path)
        })?;
        store
            .set_trusted_certificates(Some(pem))
            .map_err(|e| Failure::from(e).with_path(path))?;
    }
    store.allow_insecure_http_for_development(cli.allow_insecure_http);
    match cli.command {
        Command::Login {
            account,
            server,
            password,
            name,
            role: r,
            institution,
            unit,
        } => {
            match (server, password, name, r) {
                (Some(server), Some(password), _, _) => {
                    store.login(server, account, password)?;
                }
                (None, _, Some(name), Some(r)) => store.set_identity(Identity {
                    account_id: account,
                    display_name: name,
                    role: r,
                    institution_id: institution,
                    unit_id: unit,
                    area: None,
                })?,
                _ => {
                    return Err(Failure(
                        "--server with --password, or --name with --role".into(),
                    ))
                }
            }
            out.identity(store.identity().as_ref());
        }
        Command::Anonymous { server } => {
            store.continue_anonymously(server)?;
            out.identity(store.identity().as_ref());
        }
        Command::Sync => {
            let report = store.sync(None)?;
            out.sync_report(&report);
        }
        Command::Status => out.sync_status(&store.sync_status()?),
        Command::Refused => {
            for r in store.refused_work()? {
                out.line(&format!(
                    "{}  {}: {} ({})",
                    r.tracking_id, r.action_label, r.note, r.reason
                ));
            }
        }
        Command::Whoami => out.identity(store.identity().as_ref()),
        Command::SignOut { force } => {
            let work = store.unsynced_work()?;
            let empty =
                work.complaints == 0 && work.changes == 0 && work.photos == 0 && work.refused == 0;
            if !empty {
                out.unsynced_warning(&work);
            }
            let confirmed = force || empty || out.confirm_sign_out();
            if !confirmed {
                return Err(Failure(
                    language
                        .pick(
                            "Tidak keluar. Jalankan `aduan sync` dulu, atau `aduan sign-out --force` untuk keluar tetap.",
                            "Not signed out. Run `aduan sync` first, or `aduan sign-out --force` to sign out anyway.",
                        )
                        .into(),
                ));
            }
            let report = store.sign_out(true)?;
            out.signed_out(&report);
        }
        Command::Track {
            tracking_id,
            server,
        } => match store.track(server, tracking_id)? {
            Some(view) => out.public_complaint(&view),
            None => {
                return Err(Failure(
                    language
                        .pick(
                            "Tidak ada laporan publik dengan nomor pelacakan ini.",
                            "No public report has this tracking id.",
                        )
                        .into(),
                ))
            }
        },
        Command::Public {
            server,
            area,
            category,
            page,
        } => {
            let page = store.public_complaints(server, area, category, page)?;
            out.public_page(&page);
        }
        Command::File {
            kind: k,
            category,
            title,
            description,
            location,
            anonymous,
            confidential,
            photos,
            filing,
        } => {
            let channel = filing.channel()?;
            let caller = contact_of(
                filing.on_behalf_name,
                filing.on_behalf_phone,
                filing.on_behalf_email,
            );
            let on_behalf = filing.on_behalf || caller.is_some();
            let own = contact_of(
                filing.contact_name,
                filing.contact_phone,
                filing.contact_email,
            );
            if on_behalf && own.is_some() {
                return Err(Failure(
                    current_language()
                        .pick(
                            "Untuk penelepon gunakan --on-behalf-name/--on-behalf-phone, bukan --contact-*",
                            "For a caller use --on-behalf-name/--on-behalf-phone, not --contact-*",
                        )
                        .into(),
                ));
            }
            let photos = import_photos(&store, &photos, &out)?;
            let draft = ComplaintDraft {
                kind: kind(k),
                category_id: category,
                title,
                description,
                location: location.location(),
                anonymous,
                confidential,
                photos,
                channel,
            };
            // Asked before filing, so the new complaint is not its own duplicate.
            let duplicates = store.suggest_duplicates(draft.clone())?;
            let routing = store.suggest_routing(draft.location.clone(), draft.category_id.clone());
            let created = match (on_behalf, own) {
                (true, _) => store.file_on_behalf(draft, caller)?,
                (false, Some(contact)) => store.create_named_complaint(draft, contact)?,
                (false, None) => store.create_complaint(draft)?,
            };
            out.detail(&created);
            out.suggestions(&routing, &duplicates);
            if on_behalf {
                out.read_back_tracking_id(&created.summary.tracking_id);
            }
        }
        Command::Contact {
            id,
            remove,
            name,
            phone,
            email,
        } => {
            if remove {
                let removed = store.remove_reporter_contact(id)?;
                out.contact_removed(removed);
            } else if let Some(contact) = contact_of(name, phone, email) {
                store.set_reporter_contact(id.clone(), contact)?;
                out.reporter_contact(store.reporter_contact(id)?.as_ref());
            } else {
                out.reporter_contact(store.reporter_contact(id)?.as_ref());
            }
        }
        Command::Edit {
            id,
            title,
            description,
            category,
            anonymous,
            confidential,
        } => {
            let detail = store.edit_complaint(
                id,
                ComplaintEdit {
                    title,
                    description,
                    category_id: category,
                    anonymous: anonymous.then_some(true),
                    confidential: confidential.then_some(true),
                    ..ComplaintEdit::default()
                },
            )?;
            out.detail(&detail);
        }
        Command::Photo { id, file } => {
            let photos = import_photos(&store, &[file], &out)?;
            out.detail(&store.attach_photo(id, photos[0].clone())?);
        }
        Command::List {
            statuses,
            kind: k,
            category,
            institution,
            unit,
            mine,
            overdue,
            text,
            near,
            area,
            sort,
            limit,
            offset,
        } => {
            let rows = store.list(ComplaintFilter {
                statuses,
                kinds: k.map(kind).into_iter().collect(),
                category_id: category,
                institution_id: institution,
                unit_id: unit,
                mine_only: mine,
                overdue_only: overdue,
                text,
                near,
                area,
                updated_since: None,
                sort: match sort {
                    SortArg::Due => SortOrder::DueSoonest,
                    SortArg::Updated => SortOrder::RecentlyUpdated,
                    SortArg::Newest => SortOrder::Newest,
                    SortArg::Oldest => SortOrder::Oldest,
                },
                limit,
                offset,
            })?;
            out.summaries(&rows);
        }
        Command::Search { text, limit } => out.summaries(&store.search(text, limit)?),
        Command::Show { id } => {
            let detail = store.get(id)?;
            out.detail(&detail);
            // Where this user may know the reporter (the server decides for handlers); a show
            // that cannot reach the server still shows the report.
            match store.reporter_contact(detail.summary.id.clone()) {
                _ if out.json => {}
                Ok(Some(contact)) => out.reporter_contact(Some(&contact)),
                Ok(None) => {}
                Err(e) => out.line(&format!(
                    "  {}: {}",
                    current_language().pick("Kontak pelapor", "Reporter's contact"),
                    Failure::from(e).0
                )),
            }
        }
        Command::Act {
            id,
            action,
            institution,
            unit,
            field_inspection,
            target,
            anonymous,
            confidential,
            note,
            photos,
        } => {
            let missing = |what: &str| {
                Failure(format!(
                    "{} --{what}",
                    current_language().pick("Tindakan ini memerlukan", "This action needs")
                ))
            };
            let action = match action {
                ActionArg::Dispatch => WorkflowAction::Dispatch {
                    institution_id: institution.ok_or_else(|| missing("institution"))?,
                },
                ActionArg::Assign => WorkflowAction::Assign {
                    unit_id: unit.ok_or_else(|| missing("unit"))?,
                    field_inspection,
                },
                ActionArg::NotOurAuthority => WorkflowAction::NotOurAuthority,
                ActionArg::Defer => WorkflowAction::Defer,
                ActionArg::Resume => WorkflowAction::Resume,
                ActionArg::Archive => WorkflowAction::Archive,
                ActionArg::Merge => WorkflowAction::MergeInto {
                    target: target.ok_or_else(|| missing("target"))?,
                },
                ActionArg::SetFlags => WorkflowAction::SetFlags {
                    anonymous,
                    confidential,
                },
                ActionArg::Start => WorkflowAction::StartWork,
                ActionArg::FollowUp => WorkflowAction::FollowUp,
                ActionArg::Close => WorkflowAction::Close,
                ActionArg::Reopen => WorkflowAction::Reopen,
            };
            let hashes = import_photos(&store, &photos, &out)?;
            out.detail(&store.perform(id, action, note, hashes)?);
        }
        Command::Reply { id, text, photos } => {
            let hashes = import_photos(&store, &photos, &out)?;
            out.detail(&store.comment(id, text, hashes)?);
        }
        Command::Rate { id, stars, note } => out.detail(&store.rate(id, stars, note)?),
        Command::Categories => out.categories(&store.categories()),
        Command::Institutions => out.institutions(&store.institutions()),
        Command::Figures {
            institution,
            from,
            to,
            by,
        } => match (from, to) {
            (None, None) if by.is_none() => out.figures(&store.figures(institution)?),
            (Some(from), Some(to)) => {
                let by = by
                    .map(|code| {
                        aduan_core::figures::GroupBy::from_code(&code).ok_or_else(|| {
                            Failure(
                                "--by: one of institution, unit, area, category, channel".into(),
                            )
                        })
                    })
                    .transpose()?;
                out.server_figures(&store.server_figures(from, to, by, institution)?)
            }
            _ => {
                return Err(Failure(
                    "the server's figures need both --from and --to (YYYY-MM-DD)".into(),
                ))
            }
        },
        Command::Export { id, out: path } => {
            let json = store.export_json(id)?;
            match path {
                Some(p) => std::fs::write(&p, json)
                    .map_err(|e| Failure(format!("{}: {}", p.display(), e.kind())))?,
                None => println!("{json}"),
            }
        }
        Command::Pending => out.pending(&store.pending_sync()?),
        Command::Compact { max } => out.maintenance(&store.compact(max)?),
        Command::Check => out.check(&store.check()?),
        Command::Exchange { other } => {
            let other = AduanStore::open(other.to_string_lossy().into_owned())?;
            let sent = copy_documents(&store, &other)?;
            let received = copy_documents(&other, &store)?;
            out.line(&format!(
                "{}: {sent}, {}: {received}",
                out.language.pick("Dokumen dikirim", "Documents sent"),
                out.language.pick("diterima", "received")
            ));
        }
        Command::Calendar { .. } => unreachable!("handled before opening the store"),
    }
    Ok(())
}

/// Copies every document of `from` into `to`; returns how many brought something new.
fn copy_documents(from: &AduanStore, to: &AduanStore) -> Result<usize, Failure> {
    let docs = from.with_store(|s| {
        let mut out = Vec::new();
        for id in s.doc_ids()? {
            if let Some(bytes) = s.doc_bytes(&id)? {
                out.push((id, bytes));
            }
        }
        Ok(out)
    })?;
    Ok(to.with_store(|s| {
        let mut changed = 0;
        for (id, bytes) in &docs {
            changed += usize::from(s.apply_remote(id, bytes)?);
        }
        Ok(changed)
    })?)
}

fn calendar(command: &CalendarCommand, out: &print::Printer) -> Result<(), Failure> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    match command {
        CalendarCommand::Due {
            date,
            days,
            holidays,
        } => {
            let start = time::Date::parse(date, format)
                .map_err(|_| Failure(format!("{date}: expected YYYY-MM-DD")))?;
            let mut cal = WorkingCalendar::indonesia();
            if let Some(path) = holidays {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| Failure(format!("{}: {}", path.display(), e.kind())))?;
                cal.extend_from_csv(&text)
                    .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
            }
            let due = cal.add_working_days(start, *days);
            out.line(&due.format(format).unwrap_or_default());
        }
        CalendarCommand::Holidays { year } => {
            let cal = WorkingCalendar::indonesia();
            if !cal.covers_year(*year) {
                return Err(Failure(format!(
                    "{year}: {}",
                    out.language.pick(
                        "tidak ada data hari libur untuk tahun ini",
                        "no holiday data for this year"
                    )
                )));
            }
            for h in cal.holidays_in_year(*year) {
                out.line(&format!(
                    "{}  {}",
                    h.date.format(format).unwrap_or_default(),
                    match out.language {
                        Language::Id => &h.name_id,
                        Language::En => &h.name_en,
                    }
                ));
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    // Output piped into `head` ends quietly, as with any Unix tool, instead of a panic.
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of SIGPIPE before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("aduan: {message}");
            ExitCode::FAILURE
        }
    }
}
