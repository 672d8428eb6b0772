Feature: The step library itself
  How a scenario's tables and blocks become records, how a force profile or the engine is chosen,
  and what happens to records the pack cannot accept. Rule authors can rely on what is shown here.

  Background:
    Given the PEEL pack
    And the assessment date is 2022-04-01

  @protecting_vulnerable_people
  Scenario: A blank cell and the words "not recorded" both leave the field out
    Given these case_file records:
      | case_ref | domestic_abuse | victim_withdrew_support | suspect_identified | suspect_age | dvpn_considered |
      | DA-1     | true           | true                    | true               | 30          |                 |
      | DA-2     | true           | true                    | true               | 30          | not recorded    |
      | DA-3     | yes            | yes                     | yes                | 30          | no              |
    When the assessment runs
    Then record DA-1 is not recorded for rule PVP-001 because of its dvpn_considered
    And record DA-2 is not recorded for rule PVP-001 because of its dvpn_considered
    And record DA-3 fails rule PVP-001

  @investigating
  Scenario: Dates and times may be written in words
    Given these out_of_court_disposal records:
      | disposal_ref | disposal_type | given_at           | victim_views_sought_at | victim_views_recorded_at |
      | OOCD-1       | caution       | 3 March 2021 14:00 | 2 March 2021 10:00     | 2 Mar 2021 10:30         |
      | OOCD-2       | caution       | 2021-03-03 14:00   | 2021-03-04T08:30:00    | 2021-03-04T09:00:00      |
    When the assessment runs
    Then record OOCD-1 passes rule INV-001
    And record OOCD-2 fails rule INV-001

  @investigating
  Scenario: A list of dates is separated by semicolons; "none" is a recorded empty list
    Given these case_file records:
      | case_ref | reported_at      | victim_update_dates    |
      | CF-1     | 2021-01-04T10:00 | 2021-01-05; 2021-02-01 |
      | CF-2     | 2021-01-04T10:00 | none                   |
      | CF-3     | 2021-01-04T10:00 |                        |
    When the assessment runs
    Then record CF-1 passes rule INV-004
    And record CF-2 fails rule INV-004
    And record CF-3 is not recorded for rule INV-004

  @investigating
  Scenario: Records may be written as YAML, several at once
    Given these out_of_court_disposal records:
      """
      - disposal_ref: OOCD-1
        disposal_type: caution
        given_at: 2021-03-03T14:00:00
        victim_views_sought_at: 2021-03-02T10:00:00
        victim_views_recorded_at: 2021-03-02T10:30:00
      - disposal_ref: OOCD-2
        disposal_type: community_resolution
      """
    When the assessment runs
    Then rule INV-001 has 1 applicable, 1 compliant, 0 non-compliant and 0 not recorded records
    And record OOCD-2 is not applicable to rule INV-001

  @investigating
  Scenario: Records without a key are numbered by their type
    Given these case_file records:
      | serious | supervised_effectively |
      | true    | true                   |
      | true    | false                  |
    When the assessment runs
    Then rule INV-003 lists records case_file-2
    And record case_file-1 passes rule INV-003

  @investigating
  Scenario: A value the record type cannot hold is rejected, naming the record and the field
    Given these case_file records:
      | case_ref | domestic_abuse | outcome_code |
      | CF-1     | true           | 16           |
      | CF-2     | true           | sixteen      |
    When the assessment runs
    Then the records are rejected
    And record CF-2 is rejected because of its outcome_code

  @investigating
  Scenario: A column the record type does not have is rejected too
    Given a case_file record "CF-1" with:
      | domestic_abuse | true |
      | dvpn_consdered | true |
    When the assessment runs
    Then record CF-1 is rejected because of its dvpn_consdered

  @investigating
  Scenario Outline: Both engines give the same answers
    Given the engine is <engine>
    And these out_of_court_disposal records:
      | disposal_ref | disposal_type | given_at         | victim_views_sought_at | victim_views_recorded_at |
      | OOCD-1       | caution       | 2021-03-03T14:00 | 2021-03-02T10:00       | 2021-03-02T10:30         |
      | OOCD-2       | caution       | 2021-03-03T14:00 | 2021-03-04T08:30       | 2021-03-04T09:00         |
      | OOCD-3       | caution       | 2021-03-03T14:00 | 2021-03-02T10:00       |                          |
    When the assessment runs
    Then rule INV-001 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records
    And rule INV-001 lists records OOCD-2, OOCD-3

    Examples:
      | engine  |
      | durable |
      | python  |

  @profile @protecting_vulnerable_people @aggregate
  Scenario: A force profile lowers a threshold, with its reason, without editing the pack
    Given the profile "features/profiles/west-mercia-2022.yaml"
    And 8 case_file records with:
      """
      domestic_abuse: true
      attended: true
      body_worn_video_used: true
      """
    And 2 case_file records with:
      """
      domestic_abuse: true
      attended: true
      body_worn_video_used: false
      """
    When the assessment runs
    Then rule PVP-056 is met
    And the compliance rate of PVP-056 is 80%

  @profile @protecting_vulnerable_people @aggregate
  Scenario: Without the profile the pack's own 90% applies
    Given no profile
    And 8 case_file records with:
      """
      domestic_abuse: true
      attended: true
      body_worn_video_used: true
      """
    And 2 case_file records with:
      """
      domestic_abuse: true
      attended: true
      body_worn_video_used: false
      """
    When the assessment runs
    Then rule PVP-056 is not met

  @profile @protecting_vulnerable_people @boundary
  Scenario Outline: A force profile sets its own time for telling the school, with its reason
    # The pack tells the school by 09:00 on the next working day; the profile's schools open at 08:30.
    # Attended on Monday 4 October 2021, the school told on the Tuesday.
    Given <profile>
    And a case_file record "DA-1" with:
      | domestic_abuse     | true                |
      | children_present   | true                |
      | attended_at        | 2021-10-04T10:00    |
      | school_notified    | true                |
      | school_notified_at | 2021-10-05T<told>   |
    When the assessment runs
    Then record DA-1 <outcome> rule PVP-003

    Examples:
      | profile                                                  | told  | outcome |
      | the profile "features/profiles/west-mercia-2022.yaml"    | 08:30 | passes  |
      | the profile "features/profiles/west-mercia-2022.yaml"    | 08:45 | fails   |
      | no profile                                               | 08:45 | passes  |
      | no profile                                               | 09:01 | fails   |

  @profile @managing_offenders @boundary
  Scenario Outline: A force's own review deadline moves the pack's "not yet due" window with it
    # The pack allows 14 days from a visit for a supervisor's review; the profile allows 28. A visit not
    # yet reviewed is left out while its deadline has not passed at the assessment date, under either.
    Given <profile>
    And the assessment date is 2022-04-01
    And a sex_offender_visit record "V-1" with:
      | offender_ref | RSO-1     |
      | visited_on   | <visited> |
    When the assessment runs
    Then record V-1 <outcome> rule MOS-004

    Examples:
      | profile                                               | visited    | outcome              |
      | the profile "features/profiles/west-mercia-2022.yaml" | 2022-03-12 | is not applicable to |
      | the profile "features/profiles/west-mercia-2022.yaml" | 2022-03-02 | is not recorded for  |
      | no profile                                            | 2022-03-12 | is not recorded for  |
      | no profile                                            | 2022-03-20 | is not applicable to |

  @profile @investigating @boundary
  Scenario Outline: A force profile changes one of a rule's two windows on a field, naming it by its length
    # The pack gives a victim 1 working day to be told of a caution, 5 for a victim not entitled to
    # enhanced rights; the profile changes the 5 (was: {working_days: 5}) to 3. The caution was given
    # on Monday 28 March 2022; told on the Thursday is 3 working days, on the Friday 4.
    Given <profile>
    And the assessment date is 2022-04-01
    And an out_of_court_disposal record "OOCD-1" with:
      | disposal_type            | caution          |
      | victim_identified        | true             |
      | given_at                 | 2022-03-28T10:00 |
      | victim_enhanced_rights   | false            |
      | victim_informed_after_at | <told>           |
    When the assessment runs
    Then record OOCD-1 <outcome> rule INV-009

    Examples:
      | profile                                               | told             | outcome             |
      | the profile "features/profiles/west-mercia-2022.yaml" | 2022-03-31T10:00 | passes              |
      | the profile "features/profiles/west-mercia-2022.yaml" | 2022-04-01T09:00 | fails               |
      | no profile                                            | 2022-04-01T09:00 | passes              |
      | the profile "features/profiles/west-mercia-2022.yaml" |                  | is not recorded for |
      | no profile                                            |                  | passes              |

  @profile @investigating
  Scenario: A rule the profile switches off is reported as disabled
    Given the profile "features/profiles/west-mercia-2022.yaml"
    And a case_file record "CF-1" with:
      | unexplained_delay | true |
    When the assessment runs
    Then rule INV-015 is disabled
