namespace Shifts.Demo.Plan;

/// <summary>
/// The demo (README, "Demo data"): Kreisverband Mitte/Ost with its next weeks (after the district
/// board's report of its own volunteering), and the small Kreisverband Nord beside it. German texts; a few
/// helpers read English. Dates count from the day the demo is loaded.
/// </summary>
public static class DistrictAssociation
{
    public const string Nord = "kv-nord";
    private const string Main = DemoPlan.MainOrg;
    private const string Office = "Parteibüro Ostertor";
    private const string OfficeAddress = "Ostertorsteinweg 70, 28203 Bremen";

    private static readonly IReadOnlyList<DemoQualification> Qualifications =
    [
        new("awareness", "Awareness-Schulung"),
        new("first-aid", "Erste Hilfe"),
        new("driver", "Führerschein"),
        new("moderation", "Moderation"),
        new("bar", "Ausschank"),
    ];

    public static DemoPlan Create(LocalCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(calendar);
        var organisations = new List<DemoOrganisation>
        {
            // Awareness pairs need trained people, who are few: the coordinators hear of a gap ten
            // days ahead, so the first awareness night (at most eight days away) is in the first alert.
            new(Main, "Kreisverband Mitte/Ost", "Europe/Berlin", "PT24H", Qualifications, ["P10D", "PT48H", "PT24H"]),
            new(Nord, "Kreisverband Nord", "Europe/Berlin", "PT24H", [new("driver", "Führerschein")]),
        };
        return new DemoPlan(calendar, organisations, People(), Events(calendar),
            DemoHelper: "lena.hoffmann@example.org", DemoCoordinator: "carla.brandt@example.org");
    }

    private static List<DemoPerson> People()
    {
        DemoPerson Helper(string name, string email, params string[] qualifications) =>
            new(name, email, Main, "helper", Joined.ByCoordinator, qualifications);
        DemoPerson Newcomer(string name, string email, string locale = "de") =>
            new(name, email, Main, "helper", Joined.SignUp, [], locale, Newcomer: true);

        return
        [
            new("Jana Meyer", "jana.meyer@example.org", Main, "admin", Joined.ByPlatformAdmin, ["moderation"]),
            new("Carla Brandt", "carla.brandt@example.org", Main, "coordinator", Joined.ByOrgAdmin, ["driver"]),
            new("Deniz Yılmaz", "deniz.yilmaz@example.org", Main, "coordinator", Joined.ByOrgAdmin, ["awareness", "first-aid"]),
            new("Tobias Krüger", "tobias.krueger@example.org", Main, "coordinator", Joined.ByOrgAdmin, ["moderation", "bar"]),

            Helper("Jonas Becker", "jonas.becker@example.org", "bar", "driver"),
            Helper("Miriam Schulte", "miriam.schulte@example.org", "awareness", "first-aid"),
            Helper("Felix Wagner", "felix.wagner@example.org", "driver"),
            Helper("Aylin Kaya", "aylin.kaya@example.org", "awareness"),
            Helper("Hannes Vogel", "hannes.vogel@example.org", "bar"),
            Helper("Sabine Lange", "sabine.lange@example.org", "moderation"),
            Helper("Emily Carter", "emily.carter@example.org", "bar") with { Locale = "en" },
            Helper("Ole Janssen", "ole.janssen@example.org", "driver", "bar"),
            Helper("Fatma Özdemir", "fatma.oezdemir@example.org", "awareness"),
            Helper("Paul Schröder", "paul.schroeder@example.org", "first-aid"),
            Helper("Greta Neumann", "greta.neumann@example.org"),
            Helper("Timo Bruns", "timo.bruns@example.org", "driver"),
            Helper("Nele Petersen", "nele.petersen@example.org", "awareness", "moderation"),
            Helper("James Walsh", "james.walsh@example.org") with { Locale = "en" },
            Helper("Kerstin Ahrens", "kerstin.ahrens@example.org", "first-aid"),
            Helper("Malte Gerdes", "malte.gerdes@example.org", "bar"),
            Helper("Sophie Fischer", "sophie.fischer@example.org"),
            Helper("Yusuf Aydın", "yusuf.aydin@example.org", "awareness"),
            Helper("Birte Wilkens", "birte.wilkens@example.org", "moderation"),
            Helper("Lars Hinrichs", "lars.hinrichs@example.org", "driver"),
            Helper("Clara Weber", "clara.weber@example.org", "bar", "first-aid"),
            Helper("Niklas Brandes", "niklas.brandes@example.org"),
            Helper("Priya Nair", "priya.nair@example.org", "awareness") with { Locale = "en" },
            Helper("Henrike Rohde", "henrike.rohde@example.org"),
            Helper("Mats Köster", "mats.koester@example.org", "bar"),
            Helper("Johanna Lüders", "johanna.lueders@example.org"),
            Helper("Erik Dierks", "erik.dierks@example.org", "driver"),
            Helper("Anna-Lena Frerichs", "anna-lena.frerichs@example.org"),
            Helper("Marek Nowak", "marek.nowak@example.org"),
            Helper("Svenja Kuhlmann", "svenja.kuhlmann@example.org", "awareness"),
            Helper("Ben Harms", "ben.harms@example.org") with { Claims = false },

            // Newcomers found the sign-up page; Lena is the demo helper: no shift yet, for you to claim one.
            Newcomer("Lena Hoffmann", "lena.hoffmann@example.org") with { Claims = false },
            Newcomer("Lucas Martin", "lucas.martin@example.org", "en"),
            Newcomer("Mia Schwarz", "mia.schwarz@example.org"),
            Newcomer("Leon Hartmann", "leon.hartmann@example.org"),
            Newcomer("Zeynep Arslan", "zeynep.arslan@example.org"),
            Newcomer("Finn Oltmanns", "finn.oltmanns@example.org"),
            Newcomer("Ida Krause", "ida.krause@example.org"),
            Newcomer("Noah Bergmann", "noah.bergmann@example.org"),
            Newcomer("Lea Tietjen", "lea.tietjen@example.org"),

            // Kreisverband Nord: its own people; Jonas helps in both.
            new("Heike Albers", "heike.albers@example.org", Nord, "admin", Joined.ByPlatformAdmin, ["driver"]),
            new("Wiebke Cordes", "wiebke.cordes@example.org", Nord, "helper", Joined.ByCoordinator, []),
            new("Jannik Stührmann", "jannik.stuehrmann@example.org", Nord, "helper", Joined.ByCoordinator, []),
            new("Merle Haase", "merle.haase@example.org", Nord, "helper", Joined.ByCoordinator, []),
            new("Jonas Becker", "jonas.becker@example.org", Nord, "helper", Joined.ByCoordinator, ["driver"]),
        ];
    }

    private static List<DemoEvent> Events(LocalCalendar calendar)
    {
        static TimeOnly T(int hour, int minute = 0) => new(hour, minute);
        var saturday = calendar.Next(DayOfWeek.Saturday);
        const string carla = "carla.brandt@example.org", deniz = "deniz.yilmaz@example.org", tobias = "tobias.krueger@example.org";

        return
        [
            new(Main, "Infostand im Viertel", "info-stand",
                "Unser Infostand jeden Samstag: Flyer, Gespräche, Unterschriften. Neue sind herzlich willkommen – Erfahrene zeigen euch alles.",
                "Sielwall-Kreuzung", "Ostertorsteinweg / Sielwall, 28203 Bremen",
                saturday, T(10), T(14), carla,
                [
                    new("Aufbau", T(9, 30), T(10, 15), 2, 2, [2, 2, 1, 2, 0, 0]),
                    new("Standbetreuung", T(10), T(12), 3, 2, [3, 3, 2, 1, 1, 0], NewcomerFriendly: true, Waitlist: [1, 0, 0, 0, 0, 0]),
                    new("Standbetreuung", T(12), T(14), 3, 2, [3, 1, 2, 2, 0, 0], NewcomerFriendly: true),
                    new("Abbau", T(13, 45), T(14, 30), 2, 2, [1, 2, 2, 0, 0, 0]),
                ],
                new DemoRecurrence([DayOfWeek.Saturday], 6)),

            new(Main, "Verteilaktion Wahlkampf", "distribution",
                "Wir verteilen den Wahlkampf-Flyer in die Briefkästen, immer zu zweit. Treffpunkt und Material im Parteibüro.",
                Office, OfficeAddress,
                calendar.Next(DayOfWeek.Tuesday, 3), T(17, 30), T(20), carla,
                [
                    new("Route Steintor", T(17, 30), T(20), 2, 2, [2, 2], Waitlist: [1, 0]),
                    new("Route Fesenfeld", T(17, 30), T(20), 2, 2, [2, 1]),
                    new("Route Hulsberg", T(17, 30), T(20), 2, 2, [1, 0]),
                    new("Route Peterswerder", T(17, 30), T(20), 2, 2, [0, 2]),
                ],
                new DemoRecurrence([DayOfWeek.Tuesday, DayOfWeek.Thursday], 2)),

            new(Main, "Sommerfest am Weserwehr", "festival",
                "Unser Fest für das ganze Viertel: Musik, Kinderprogramm und eine Podiumsdiskussion mit unseren Bürgerschaftsabgeordneten und unserer Bundestagskandidatin.",
                "Wiese am Weserwehr", "Am Weserwehr, 28205 Bremen",
                saturday.AddDays(14), T(14), T(22), deniz,
                [
                    new("Transporter fahren (Material holen)", T(9), T(10, 30), 1, 1, [1], Qualification: "driver"),
                    new("Aufbau", T(10, 30), T(14), 6, 4, [5]),
                    new("Ausschank", T(14), T(18), 3, 2, [3], Qualification: "bar", Waitlist: [1]),
                    new("Ausschank", T(18), T(22), 3, 2, [1], Qualification: "bar"),
                    new("Kinderprogramm", T(14), T(17), 3, 2, [2], NewcomerFriendly: true),
                    new("Sanitätsdienst", T(14), T(22), 2, 1, [1], Qualification: "first-aid"),
                    new("Podiumsdiskussion: Moderation", T(16, 30), T(18), 1, 1, [1], Qualification: "moderation", Waitlist: [1]),
                    new("Podiumsdiskussion: Technik", T(16), T(18, 30), 2, 1, [1]),
                    new("Awareness-Team", T(18), T(23), 2, 2, [1], Qualification: "awareness"),
                    new("Abbau", T(22), T(0, 30), 6, 4, [2], EndDay: 1),
                ]),

            new(Main, "Stadtteilfest Tenever", "festival",
                "Wir unterstützen das Stadtteilfest mit einem Infotisch: Fragen beantworten, Kinder malen lassen, Kontakte sammeln.",
                "Otto-Brenner-Allee", "Otto-Brenner-Allee, 28325 Bremen",
                saturday.AddDays(22), T(11), T(18), carla,
                [
                    new("Aufbau Infotisch", T(10), T(11), 2, 1, [2]),
                    new("Infotisch", T(11), T(14, 30), 2, 2, [2], NewcomerFriendly: true, Waitlist: [1]),
                    new("Infotisch", T(14, 30), T(18), 2, 2, [0], NewcomerFriendly: true),
                    new("Abbau", T(18), T(19), 2, 1, [1]),
                ]),

            new(Main, "Neumitgliedertreffen", "meeting",
                "Rund 40 neue Mitglieder sind eingeladen: Kennenlernen, wie der Kreisverband arbeitet, wo man mitmachen kann.",
                Office, OfficeAddress,
                calendar.Next(DayOfWeek.Wednesday, 10), T(19), T(21, 30), tobias,
                [
                    new("Empfang", T(18, 30), T(19, 30), 3, 2, [3], NewcomerFriendly: true, Waitlist: [2]),
                    new("Moderation", T(19), T(21, 30), 1, 1, [1], Qualification: "moderation"),
                    new("Getränke", T(19), T(21, 30), 2, 1, [1], NewcomerFriendly: true),
                ]),

            BaseGroup(calendar.FirstOfMonth(DayOfWeek.Thursday, 1), [1, 1]),
            BaseGroup(calendar.FirstOfMonth(DayOfWeek.Thursday, 2), [0, 0]),

            new(Main, "Vernetzungstreffen der Beiräte", "meeting",
                "Austausch mit unseren Beiratsmitgliedern aus Mitte, Östlicher Vorstadt, Schwachhausen und Osterholz.",
                "Ortsamt Mitte/Östliche Vorstadt", "Am Dobben 91, 28203 Bremen",
                calendar.Today.AddDays(12), T(18), T(20, 30), tobias,
                [
                    new("Empfang", T(17, 30), T(18, 15), 2, 1, [2]),
                    new("Protokoll", T(18), T(20, 30), 1, 1, [1]),
                    new("Moderation", T(18), T(20, 30), 1, 1, [1], Qualification: "moderation"),
                ],
                PostponedBecause: "Der Raum im Ortsamt ist doch belegt. Ein neuer Termin folgt; eure Zusagen bleiben bestehen."),

            new(Main, "Awareness-Team im Viertel", "awareness",
                "Nachts im Viertel ansprechbar sein, zu zweit: zuhören, begleiten, Hilfe holen. Nur mit Awareness-Schulung.",
                "Sielwall-Kreuzung", "Ostertorsteinweg / Sielwall, 28203 Bremen",
                calendar.Next(DayOfWeek.Friday), T(22), T(3), deniz,
                [
                    new("Awareness-Schicht (Paar)", T(22), T(3), 2, 2, [1, 2, 2, 0], Qualification: "awareness", Waitlist: [0, 1, 0, 0], EndDay: 1),
                ],
                new DemoRecurrence([DayOfWeek.Friday, DayOfWeek.Saturday], 4),
                EndDay: 1),

            new(Main, "Spieleabend", "social",
                "Brettspiele, Kaltgetränke und Leute aus dem Kreisverband kennenlernen.",
                Office, OfficeAddress,
                calendar.Next(DayOfWeek.Friday, 5), T(19), T(22, 30), tobias,
                [
                    new("Spiele aufbauen und erklären", T(18, 30), T(22, 30), 2, 1, [1], NewcomerFriendly: true),
                ]),

            new(Main, "Kneipenabend", "social",
                "Unser offener Stammtisch. Wer neu ist, wird an der Tür begrüßt.",
                "Lagerhaus Bremen", "Schildstraße 12–19, 28203 Bremen",
                calendar.Next(DayOfWeek.Thursday, 17), T(19, 30), T(23), tobias,
                [
                    new("Begrüßung neuer Gesichter", T(19, 30), T(21), 2, 1, [1], NewcomerFriendly: true),
                ]),

            new(Nord, "Infostand Vegesack", "info-stand",
                "Infostand in der Fußgängerzone.",
                "Gerhard-Rohlfs-Straße", "Gerhard-Rohlfs-Straße, 28757 Bremen",
                saturday.AddDays(7), T(10), T(13), "heike.albers@example.org",
                [
                    new("Standbetreuung", T(10), T(13), 3, 2, [2]),
                ]),
        ];

        DemoEvent BaseGroup(DateOnly date, int[] fill) => new(Main, "Basisgruppe Mitte-Ost", "meeting",
            "Monatliches Treffen der Basisgruppe (15–20 Leute): aktuelle Anträge, Aktionen im Viertel, Offenes.",
            "Bürgerhaus Weserterrassen", "Osterdeich 70b, 28205 Bremen",
            date, T(19, 30), T(21, 30), tobias,
            [
                new("Raum vorbereiten", T(19), T(19, 30), 2, 1, [fill[0]]),
                new("Protokoll", T(19, 30), T(21, 30), 1, 1, [fill[1]]),
            ]);
    }
}
