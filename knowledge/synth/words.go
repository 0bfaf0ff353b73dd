package synth

import "strings"

// The word lists, as text so that nothing at package level can change.
// Each list is in order of frequency, most common first.

const vocabularyText = `the to and of a in that we is it this for be not will government have are
on has with people as they our was by I which there minister but all at what would
from been an its can do so more should these if their no them said secretary about
time very one were who year years policy made other out public up new make House any
when than how only also support now could said country take local further ensure work
numbers way national system those over services need because department review funding
government’s since members being those figures plan immigration targets removals home
office people’s act money health schools housing police report committee after into
against before record back clear honourable friend right gentleman lady question
answer absolutely said fact point matter issue place members’ evidence data information
billion million per cent increase decrease rise fall level levels budget spending cut
cuts tax taxes economy economic growth jobs employment unemployment wages pay pension
pensions benefit benefits welfare universal credit families children child care
social community communities rural urban transport rail roads bus buses energy climate
emissions net zero green environment water farming farmers food trade deal deals
border borders security defence forces armed army navy foreign aid international
europe european union brexit agreement negotiations talks vote votes voted election
elections campaign manifesto promise promised commitment commitments pledge pledged
deliver delivered delivering delivery programme programmes scheme schemes strategy
strategies framework legislation bill bills law laws regulation regulations court
courts justice prison prisons crime crimes victims sentence sentences officers
nurses doctors hospital hospitals waiting lists patients NHS beds staff training
teachers pupils students universities university fees apprenticeships skills business
businesses industry industries investment invest invested infrastructure homes built
building planning councils council authority authorities mayor region regions
northern powerhouse levelling scotland wales northern ireland england london
constituency constituents colleagues opposition party parties leader leadership
prime chancellor treasury cabinet frontbench backbench debate debates motion
amendment amendments statement statements inquiry inquiries consultation independent
officials civil servants advice advised aware unaware knew know known never always
accept accepted reject rejected deny denied apologise apologised resign resigned
mislead misled correct corrected accurate inaccurate true false truth honest openly
transparent transparency accountable accountability responsibility responsible
failure failures success successful progress achievement record-breaking historic
unprecedented significant substantial modest small large largest biggest lowest highest
quarter quarters month months week weeks day days today yesterday tomorrow last next
first second third final interim annual`

const surnamesText = `Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright
Thompson Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis
James Phillips Mason Mitchell Rose Davis Rodríguez Cox Alexander Cooper Clark Moore
King Harrison Morgan Baker Hill Turner Edwards Ward Hughes Martin Allen Scott Young
Lee Shaw Adams Bennett Campbell Carter Chapman Collins Cook Dixon Ellis Fisher Foster
Gray Griffiths Harris Hunt Jenkins Kelly Knight Lloyd Marshall Matthews Mills Morris
Murphy Owen Palmer Parker Pearson Powell Price Reynolds Richards Richardson Russell
Saunders Simpson Stevens Stewart Watson Webb Wells West Wright Murray Hussain Ali Ahmed
Begum Singh Kaur Sharma Chowdhury Rahman Akhtar Okafor Adeyemi Mensah Nowak Kowalski
Müller Schmidt Fischer Weber Öztürk Yılmaz Nuñez García Fernández López Martínez
Sánchez Pérez Gómez Dvořák Novák MacDonald McDonald
MacLeod McKenzie Fraser Ross Hamilton Graham Kerr Reid Crawford Boyd Paterson Burns
Duncan Ferguson Henderson Gordon Cameron Sutherland Munro Grant Douglas Forbes Hay
Rees Price Pugh Howells Bevan Prosser Vaughan Meredith Gwynne Llewellyn Lloyd-Webber
Ashworth Balfour Blackwood Cartwright Dalrymple Eastwood Fairbanks Gladstone Hargreaves
Ingram Jessop Kingsley Lambert Montague Norwood Oakley Pemberton Quinn Radcliffe
Sinclair Thornton Underwood Vickers Whitaker Yardley Zeller Abbott Rudd Soames Ind
Davies-Jones Hartley Holloway Ibbotson Jagger Kirkland Lockwood Merriman Nightingale
Osborne Pickering Quigley Rowntree Stanhope Tennant Upton Villiers Wainwright Wolstenholme`

const firstNamesText = `James John David Michael Robert William Richard Thomas Mark Paul Andrew
Peter Stephen Christopher Daniel Matthew Anthony Nicholas Philip Jonathan Sarah Emma
Helen Claire Rachel Laura Rebecca Elizabeth Catherine Anne Margaret Susan Alison Joanna
Victoria Amber Diane Theresa Priya Anneliese Kemi Rishi Sajid Nadhim Kwasi Jeremy
Boris Keir Angela Yvette Bridget Zoë Chloé José Siân Seán Róisín Björn Łukasz Renée
Anaïs Aoife Niamh Eilidh Ffion Rhys Gethin Mohammed Ahmed Fatima Aisha Imran Naz Tulip
Rushanara Dawn Harriet Hilary Ed Ben Tom Jess Liz Kit Nick Phil Rob Bob Dick Bill Will
Tony Steve Chris Dan Matt Jon Andy Pete Kate Cathy Maggie Sue Ali Jo Vicky Becky Lizzie
Grant Ruth Nadine Esther Penny Therese Suella Gillian Caroline Lucy Wes Alex Sam Jamie`

// Nicknames that the matcher knows (knowledge.Nicknames), as "name=nick".
const nicknamesText = `Nicholas=Nick Philip=Phil Robert=Bob William=Bill Richard=Dick Anthony=Tony
Stephen=Steve Christopher=Chris Daniel=Dan Matthew=Matt Jonathan=Jon Andrew=Andy Peter=Pete
Catherine=Kate Margaret=Maggie Susan=Sue Elizabeth=Liz Victoria=Vicky Rebecca=Becky`

const areasText = `Health|Education|Transport|Housing|Justice|Defence|Work and Pensions|
Environment|Energy|Culture|Business|Trade|International Development|Immigration|Policing|
Science|Digital|Local Government|Rural Affairs|Women and Equalities`

const placesText = `Ashford Barnsley Bexley Bolton Bradford Brighton Bristol Cambridge
Cardiff Carlisle Chelmsford Colchester Coventry Croydon Derby Doncaster Dudley Durham
Ealing Exeter Gateshead Gloucester Grimsby Halifax Harrow Hastings Hull Ipswich Kettering
Leeds Leicester Lincoln Liverpool Luton Manchester Newcastle Newport Northampton Norwich
Nottingham Oldham Oxford Peterborough Plymouth Portsmouth Preston Reading Rochdale
Salford Sheffield Southampton Stockport Stoke Sunderland Swansea Swindon Telford Walsall
Warrington Wigan Wolverhampton Worcester York Aberdeen Dundee Edinburgh Glasgow Inverness
Perth Stirling Belfast Derry Newry Bangor Wrexham Llanelli Aberystwyth Caerphilly`

const partiesText = `Progress Party|Commonwealth Party|Green Alliance|Liberal Union|
Independent Group|Northern Voice|Coastal Party|Reform Union`

const compassText = `North South East West Central`

// lists are the word lists, split once per Generate.
type lists struct {
	vocabulary, surnames, firstNames, areas, places, parties, compass []string
	nickname                                                          map[string]string
}

func newLists() lists {
	l := lists{
		vocabulary: strings.Fields(vocabularyText),
		surnames:   strings.Fields(surnamesText),
		firstNames: strings.Fields(firstNamesText),
		places:     strings.Fields(placesText),
		compass:    strings.Fields(compassText),
		areas:      split(areasText),
		parties:    split(partiesText),
		nickname:   map[string]string{},
	}
	for _, pair := range strings.Fields(nicknamesText) {
		name, nick, _ := strings.Cut(pair, "=")
		l.nickname[name] = nick
	}
	return l
}

func split(s string) []string {
	var out []string
	for _, f := range strings.Split(s, "|") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
