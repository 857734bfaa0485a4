//! ACLED, GDELT and HXL files through the whole binary: detection, import, query.

use crate::support::*;

const ACLED_HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";

/// An ACLED-layout export written by the test (no ACLED data may be committed). The older
/// export style repeats event MLI9002 on two rows, one per actor.
fn acled_file(dir: &std::path::Path) -> std::path::PathBuf {
    let rows = [
        "MLI9001,2024-02-03,2024,1,Political violence,Battles,Armed clash,Military Forces of Mali (2021-),,1,JNIM: Group for Support of Islam and Muslims,,2,12,,466,Western Africa,Mali,Mopti,Djenne,Djenne,Djenne,13.9061,-4.5533,1,Local source,Local,\"Clash between FAMa and JNIM near Djenne, « lourdes pertes »\",12,,1707000000",
        "MLI9002,2024-02-10,2024,1,Political violence,Violence against civilians,Attack,JNIM: Group for Support of Islam and Muslims,,2,Civilians (Mali),,7,27,Civilian targeting,466,Western Africa,Mali,Segou,Niono,Niono,Niono,14.2526,-5.9929,2,Local source,Local,Attack on villagers,5,,1707500000",
        "MLI9002,2024-02-10,2024,1,Political violence,Violence against civilians,Attack,Civilians (Mali),,7,JNIM: Group for Support of Islam and Muslims,,2,27,Civilian targeting,466,Western Africa,Mali,Segou,Niono,Niono,Niono,14.2526,-5.9929,2,Local source,Local,Attack on villagers,5,,1707500000",
        "BFA7001,2024-03-01,2024,2,Demonstrations,Protests,Peaceful protest,Protesters (Burkina Faso),,6,,,0,60,,854,Western Africa,Burkina Faso,Centre,Kadiogo,Ouagadougou,Ouagadougou,12.3642,-1.5383,1,Local source,Local,Protest,0,,1709300000",
    ];
    let path = dir.join("acled-export.csv");
    std::fs::write(&path, format!("{ACLED_HEADER}\n{}\n", rows.join("\n"))).unwrap();
    path
}

#[test]
fn acled_export_imports_one_event_per_event_id() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = acled_file(dir.path());
    let out = ok(vigie(&data, &["import", file.to_str().unwrap()]));
    assert_contains(
        &out,
        "(acled): 3 imported, 0 updated, 0 unchanged, 0 rejected",
    );
    let json = ok(vigie(
        &data,
        &["events", "--source", "acled", "--format", "json"],
    ));
    let events: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(events.len(), 3);
    let two_rows = events.iter().find(|e| e["source_id"] == "MLI9002").unwrap();
    assert_eq!(two_rows["category"], "one-sided");
    assert_eq!(
        two_rows["fatalities"]["best"], 5,
        "fatalities repeated on both rows are not summed"
    );
    let sides = [
        two_rows["side_a"]["name"].as_str().unwrap(),
        two_rows["side_b"]["name"].as_str().unwrap(),
    ];
    assert!(
        sides.contains(&"Civilians (Mali)") && sides.iter().any(|s| s.starts_with("JNIM")),
        "{sides:?}"
    );
    let battle = events.iter().find(|e| e["source_id"] == "MLI9001").unwrap();
    assert_eq!(battle["category"], "state-based");
    assert_eq!(battle["place"]["country"], "MLI");
    assert_eq!(battle["place"]["admin1"], "Mopti");
    assert_eq!(battle["fatalities"]["best"], 12);
    let protest = events.iter().find(|e| e["source_id"] == "BFA7001").unwrap();
    assert_eq!(protest["category"], "other");
    assert_eq!(protest["period"]["precision"], "week");
    // Filters work on ACLED events like on any other.
    let mopti = ok(vigie(
        &data,
        &["events", "--admin1", "mopti", "--format", "csv"],
    ));
    assert_eq!(mopti.lines().count(), 2, "{mopti}");
    // Re-importing changes nothing.
    let out = ok(vigie(&data, &["import", file.to_str().unwrap()]));
    assert_contains(&out, "0 imported, 0 updated, 3 unchanged, 0 rejected");
}

#[test]
fn gdelt_sample_imports_with_the_cameo_filter() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("data");
    // Stored gzip-compressed: `vigie import` reads it as it is.
    let file = data(GDELT_SAMPLE);
    // Count what the filter should keep, straight from the file.
    let mut r = csv::Reader::from_reader(vigie_testdata::open(&file));
    let h = r.headers().unwrap().clone();
    let root = h.iter().position(|x| x == "EventRootCode").unwrap();
    let (mut fights, mut all) = (0u64, 0u64);
    for rec in r.records() {
        let rec = rec.unwrap();
        all += 1;
        if matches!(&rec[root], "19" | "20") {
            fights += 1;
        }
    }
    assert_eq!(all, 12_106);
    let out = ok(vigie(
        &store,
        &["import", "--cameo", "19-20", file.to_str().unwrap()],
    ));
    assert_contains(
        &out,
        &format!("(gdelt): {fights} imported, 0 updated, 0 unchanged, 0 rejected"),
    );
    assert_eq!(count_events(&store), fights);
    let out = ok(vigie(&store, &["import", file.to_str().unwrap()]));
    assert_contains(
        &out,
        &format!("{} imported, 0 updated, {fights} unchanged", all - fights),
    );
    let mali = ok(vigie(
        &store,
        &[
            "events",
            "--source",
            "gdelt",
            "--country",
            "MLI",
            "--format",
            "csv",
        ],
    ));
    assert!(
        mali.lines().count() > 1,
        "GDELT events located in Mali (FIPS ML)"
    );
}

#[test]
fn hxl_file_imports_by_hashtags() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let path = dir.path().join("hdx-conflict.csv");
    std::fs::write(
        &path,
        "Event ID,Date,Country,Region,Lat,Lon,Type,Killed\n\
         #event+id,#date,#country+code,#adm1+name,#geo+lat,#geo+lon,#event+type,#affected+killed\n\
         H1,2024-01-05,NER,Tillabéri,14.21,1.45,Battles,7\n\
         H2,2024-01-06,NER,Diffa,13.31,12.61,Violence against civilians,3\n",
    )
    .unwrap();
    let out = ok(vigie(&data, &["import", path.to_str().unwrap()]));
    assert_contains(&out, "(hxl): 2 imported");
    let stats = ok(vigie(
        &data,
        &["stats", "--by", "admin1-month", "--format", "csv"],
    ));
    assert_contains(&stats, "NER,Tillabéri,2024-01,1,7");
    assert_contains(&stats, "NER,Diffa,2024-01,1,3");
}
